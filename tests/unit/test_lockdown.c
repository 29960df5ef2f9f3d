// SPDX-License-Identifier: GPL-2.0
/* The lockdown mode, from made-up copies of /sys/kernel/security/lockdown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/lockdown.h"
#include "temp_file.h"

static enum lockdown_mode mode_of(const char *content)
{
	char path[64];
	enum lockdown_mode mode;

	temp_file_write(path, content);
	mode = lockdown_read(path);
	unlink(path);
	return mode;
}

static void test_modes(void **state)
{
	(void)state;
	assert_int_equal(mode_of("[none] integrity confidentiality\n"), LOCKDOWN_NONE);
	assert_int_equal(mode_of("none [integrity] confidentiality\n"), LOCKDOWN_INTEGRITY);
	assert_int_equal(mode_of("none integrity [confidentiality]\n"), LOCKDOWN_CONFIDENTIALITY);
}

static void test_unknown(void **state)
{
	(void)state;
	assert_int_equal(lockdown_read("/nonexistent/lockdown"), LOCKDOWN_UNKNOWN);
	assert_int_equal(mode_of(""), LOCKDOWN_UNKNOWN);
	assert_int_equal(mode_of("none integrity confidentiality\n"), LOCKDOWN_UNKNOWN);
	assert_int_equal(mode_of("[integrity\n"), LOCKDOWN_UNKNOWN);
	assert_int_equal(mode_of("[paranoid] none\n"), LOCKDOWN_UNKNOWN);
}

/* Only confidentiality stops daxtrace, and its consequence names the refused helper. */
static void test_consequences(void **state)
{
	(void)state;
	assert_string_equal(lockdown_name(LOCKDOWN_CONFIDENTIALITY), "confidentiality");
	assert_non_null(
		strstr(lockdown_consequence(LOCKDOWN_CONFIDENTIALITY), "bpf_probe_read_kernel"));
	assert_non_null(strstr(lockdown_consequence(LOCKDOWN_INTEGRITY), "unaffected"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_consequences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
