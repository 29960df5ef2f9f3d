// SPDX-License-Identifier: GPL-2.0
/* A kernel config's options for a record's fingerprint: plain or gzip, set, unset, quoted. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>
#include <zlib.h>

#include "engine/kernel_config.h"
#include "temp_file.h"

static const char config[] = "#\n# Automatically generated file; DO NOT EDIT.\n"
			     "CONFIG_FS_DAX=y\n"
			     "# CONFIG_FS_DAX_PMD is not set\n"
			     "CONFIG_BLK_DEV_PMEM=m\n"
			     "CONFIG_HZ=250\n"
			     "CONFIG_CMDLINE=\"console=ttyS0\"\n"
			     "CONFIG_FS_DAX_LIMITED=y\n";

static const char *const options[] = { "CONFIG_FS_DAX",
				       "CONFIG_FS_DAX_PMD",
				       "CONFIG_BLK_DEV_PMEM",
				       "CONFIG_HZ",
				       "CONFIG_CMDLINE",
				       "CONFIG_ZONE_DEVICE",
				       NULL };

static void assert_values(char (*values)[KERNEL_CONFIG_VALUE_LEN])
{
	assert_string_equal(values[0], "y");
	assert_string_equal(values[1], "n"); /* "is not set" */
	assert_string_equal(values[2], "m");
	assert_string_equal(values[3], "250");
	assert_string_equal(values[4], "console=ttyS0"); /* the quotes dropped */
	assert_string_equal(values[5], "n"); /* absent; CONFIG_FS_DAX_LIMITED is not FS_DAX */
}

static void test_plain_after_missing(void **state)
{
	char path[32], values[6][KERNEL_CONFIG_VALUE_LEN];
	const char *paths[] = { "/nonexistent/config.gz", path };

	(void)state;
	temp_file_write(path, config);
	assert_int_equal(kernel_config_read(paths, 2, options, values), 1);
	assert_values(values);
	unlink(path);
}

static void test_gzip(void **state)
{
	char path[] = "/tmp/daxtrace-test-XXXXXX", values[6][KERNEL_CONFIG_VALUE_LEN];
	const char *paths[] = { path };
	int fd = mkstemp(path);
	gzFile gz;

	(void)state;
	assert_true(fd >= 0);
	gz = gzdopen(fd, "wb");
	assert_non_null(gz);
	assert_int_equal(gzputs(gz, config), (int)strlen(config));
	assert_int_equal(gzclose(gz), Z_OK);
	assert_int_equal(kernel_config_read(paths, 1, options, values), 0);
	assert_values(values);
	unlink(path);
}

static void test_none(void **state)
{
	char values[6][KERNEL_CONFIG_VALUE_LEN] = { "untouched" };
	const char *paths[] = { "/nonexistent/a", NULL };

	(void)state;
	assert_int_equal(kernel_config_read(paths, 2, options, values), -1);
	assert_string_equal(values[0], "untouched");
}

/* The fingerprint's list: every name once, NULL at NR_DAX_CONFIG_OPTIONS. */
static void test_dax_options(void **state)
{
	(void)state;
	for (int i = 0; i < NR_DAX_CONFIG_OPTIONS; i++) {
		assert_non_null(dax_config_options[i]);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(dax_config_options[i], dax_config_options[j]);
	}
	assert_null(dax_config_options[NR_DAX_CONFIG_OPTIONS]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_after_missing),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_dax_options),
	};

	return cmocka_run_group_tests_name("kernel_config", tests, NULL, NULL);
}
