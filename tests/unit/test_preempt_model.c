// SPDX-License-Identifier: GPL-2.0
/* The preemption model from each source, and which source wins. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#include "engine/preempt_model.h"
#include "temp_file.h"

static void test_debugfs(void **state)
{
	(void)state;
	/* as 6.1 and 6.12 print it by default, and 7.2 (only two models left on x86) */
	assert_int_equal(preempt_model_from_debugfs("none (voluntary) full \n"),
			 PREEMPT_MODEL_VOLUNTARY);
	assert_int_equal(preempt_model_from_debugfs("full (lazy) \n"), PREEMPT_MODEL_LAZY);
	assert_int_equal(preempt_model_from_debugfs("(none) voluntary full lazy\n"),
			 PREEMPT_MODEL_NONE);
	assert_int_equal(preempt_model_from_debugfs("none voluntary (full) lazy\n"),
			 PREEMPT_MODEL_FULL);
	assert_int_equal(preempt_model_from_debugfs("none voluntary full lazy\n"),
			 PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(preempt_model_from_debugfs("(fuller) none"), PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(preempt_model_from_debugfs("(full"), PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(preempt_model_from_debugfs(""), PREEMPT_MODEL_UNKNOWN);
}

static void test_cmdline(void **state)
{
	(void)state;
	assert_int_equal(preempt_model_from_cmdline("console=ttyS0 preempt=full quiet\n"),
			 PREEMPT_MODEL_FULL);
	/* the kernel applies parameters in order: the last one wins */
	assert_int_equal(preempt_model_from_cmdline("preempt=none ro preempt=lazy\n"),
			 PREEMPT_MODEL_LAZY);
	assert_int_equal(preempt_model_from_cmdline("root=/dev/sda nopreempt=full\n"),
			 PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(preempt_model_from_cmdline("preempt=fullish\n"), PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(preempt_model_from_cmdline("preempt="), PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(preempt_model_from_cmdline("quiet\n"), PREEMPT_MODEL_UNKNOWN);
}

static void test_config(void **state)
{
	(void)state;
	/* the 6.18 host's /boot/config: dynamic, built with none as the default */
	assert_int_equal(preempt_model_from_config("CONFIG_PREEMPT_BUILD=y\n"
						   "CONFIG_ARCH_HAS_PREEMPT_LAZY=y\n"
						   "CONFIG_PREEMPT_NONE=y\n"
						   "# CONFIG_PREEMPT_VOLUNTARY is not set\n"
						   "# CONFIG_PREEMPT is not set\n"
						   "# CONFIG_PREEMPT_LAZY is not set\n"
						   "CONFIG_PREEMPT_DYNAMIC=y\n"),
			 PREEMPT_MODEL_NONE);
	assert_int_equal(preempt_model_from_config("CONFIG_PREEMPT=y\nCONFIG_PREEMPT_RT=y\n"),
			 PREEMPT_MODEL_RT);
	assert_int_equal(preempt_model_from_config("CONFIG_PREEMPT_LAZY=y"), PREEMPT_MODEL_LAZY);
	assert_int_equal(preempt_model_from_config("CONFIG_PREEMPT_VOLUNTARY=y\n"),
			 PREEMPT_MODEL_VOLUNTARY);
	/* the model's own line, never a longer option that starts the same */
	assert_int_equal(preempt_model_from_config("CONFIG_PREEMPT=yes\n"
						   "CONFIG_PREEMPT_COUNT=y\n"
						   "XCONFIG_PREEMPT=y\n"),
			 PREEMPT_MODEL_UNKNOWN);
}

static void test_uname(void **state)
{
	(void)state;
	assert_int_equal(preempt_model_from_uname("#1 SMP PREEMPT_DYNAMIC Debian 7.2.13-1"),
			 PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(preempt_model_from_uname("#1 SMP PREEMPT_RT Debian 6.12.117-1"),
			 PREEMPT_MODEL_RT);
	assert_int_equal(preempt_model_from_uname("#1 SMP PREEMPT Fri Jan 1"), PREEMPT_MODEL_FULL);
	assert_int_equal(preempt_model_from_uname("#1 SMP Fri Jan 1"), PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(preempt_model_from_uname("#1 SMP PREEMPTIVE"), PREEMPT_MODEL_UNKNOWN);
}

/* Each source in turn: debugfs, then a static build's uname, then preempt=, then the config. */
static void test_detect_order(void **state)
{
	char debugfs[32], cmdline[32], config[32];
	struct preempt_info info;
	struct preempt_paths paths = { .debugfs = debugfs,
				       .cmdline = cmdline,
				       .configs = { "/nonexistent/config.gz", config },
				       .uname_version = "#1 SMP PREEMPT_DYNAMIC" };

	(void)state;
	temp_file_write(debugfs, "full (lazy) \n");
	temp_file_write(cmdline, "quiet preempt=voluntary\n");
	temp_file_write(config, "CONFIG_PREEMPT_NONE=y\n");
	preempt_model_detect(&info, &paths);
	assert_int_equal(info.model, PREEMPT_MODEL_LAZY);
	assert_int_equal(info.source, PREEMPT_FROM_DEBUGFS);

	unlink(debugfs); /* debugfs not mounted */
	preempt_model_detect(&info, &paths);
	assert_int_equal(info.model, PREEMPT_MODEL_VOLUNTARY);
	assert_int_equal(info.source, PREEMPT_FROM_CMDLINE);

	paths.uname_version = "#1 SMP PREEMPT_RT";
	preempt_model_detect(&info, &paths);
	assert_int_equal(info.model, PREEMPT_MODEL_RT);
	assert_int_equal(info.source, PREEMPT_FROM_UNAME);

	paths.uname_version = "#1 SMP PREEMPT_DYNAMIC";
	unlink(cmdline);
	preempt_model_detect(&info, &paths);
	assert_int_equal(info.model, PREEMPT_MODEL_NONE);
	assert_int_equal(info.source, PREEMPT_FROM_CONFIG);

	unlink(config);
	preempt_model_detect(&info, &paths);
	assert_int_equal(info.model, PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(info.source, PREEMPT_FROM_NOWHERE);
}

static void test_preempts_bpf(void **state)
{
	(void)state;
	assert_false(preempt_model_preempts_bpf(PREEMPT_MODEL_NONE));
	assert_false(preempt_model_preempts_bpf(PREEMPT_MODEL_VOLUNTARY));
	assert_true(preempt_model_preempts_bpf(PREEMPT_MODEL_FULL));
	assert_true(preempt_model_preempts_bpf(PREEMPT_MODEL_LAZY));
	assert_true(preempt_model_preempts_bpf(PREEMPT_MODEL_RT));
	assert_true(preempt_model_preempts_bpf(PREEMPT_MODEL_UNKNOWN));
	assert_string_equal(preempt_model_name(PREEMPT_MODEL_LAZY), "lazy");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debugfs),	     cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_config),	     cmocka_unit_test(test_uname),
		cmocka_unit_test(test_detect_order), cmocka_unit_test(test_preempts_bpf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
