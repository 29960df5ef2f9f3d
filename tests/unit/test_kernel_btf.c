// SPDX-License-Identifier: GPL-2.0
/*
 * The engine parses vmlinux's BTF once and libbpf's btf__load_vmlinux_btf() (linked with
 * --wrap) gets that same BTF, once, after kernel_btf_hand_to_libbpf(). Needs
 * /sys/kernel/btf/vmlinux: the host kernel has it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <unistd.h>
#include <cmocka.h>

#include <bpf/btf.h>

#include "engine/kernel_btf.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

static void need_vmlinux_btf(void)
{
	if (access(VMLINUX_BTF, R_OK)) {
		print_message("this kernel has no %s\n", VMLINUX_BTF);
		skip();
	}
}

static void test_libbpf_gets_the_engines_parse(void **state)
{
	const struct btf *engines;
	struct btf *libbpfs, *fresh;

	(void)state;
	need_vmlinux_btf();
	engines = kernel_btf_vmlinux();
	assert_non_null(engines);
	assert_true(tracepoint_in_btf("sched_switch"));
	assert_true(function_in_btf("vfs_read"));
	assert_false(function_in_btf("no_such_function_in_any_kernel"));
	/* Before the handover, a libbpf call parses its own. */
	fresh = btf__load_vmlinux_btf();
	assert_non_null(fresh);
	assert_ptr_not_equal(fresh, engines);
	btf__free(fresh);

	kernel_btf_hand_to_libbpf();
	libbpfs = btf__load_vmlinux_btf();
	assert_ptr_equal(libbpfs, engines);
	/* Given once: the next caller parses anew, and so does the engine. */
	fresh = btf__load_vmlinux_btf();
	assert_non_null(fresh);
	assert_ptr_not_equal(fresh, libbpfs);
	assert_int_equal(btf__type_cnt(fresh), btf__type_cnt(libbpfs));
	btf__free(fresh);
	assert_true(tracepoint_in_btf("sched_switch"));
	assert_ptr_not_equal(kernel_btf_vmlinux(), libbpfs);
	btf__free(libbpfs);
	kernel_btf_release();
}

/* Released before libbpf took it: libbpf then parses its own, never the freed one. */
static void test_release_withdraws_the_handover(void **state)
{
	struct btf *libbpfs;

	(void)state;
	need_vmlinux_btf();
	assert_non_null(kernel_btf_vmlinux());
	kernel_btf_hand_to_libbpf();
	kernel_btf_release();
	libbpfs = btf__load_vmlinux_btf();
	assert_non_null(libbpfs);
	assert_true(btf__type_cnt(libbpfs) > 1000);
	assert_true(btf__find_by_name_kind(libbpfs, "vfs_read", BTF_KIND_FUNC) > 0);
	btf__free(libbpfs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libbpf_gets_the_engines_parse),
		cmocka_unit_test(test_release_withdraws_the_handover),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
