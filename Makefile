# daxtrace: one entry point. Targets: all, deps, check, test, sanitize, fuzz, demo, bench,
# designs, install, clean, format, deb, deb-check.
#
# libbpf:    Debian's libbpf 1.7 source package --tools/libbpf.sh--> build/libbpf/libbpf.a + headers
# BPF:       bpf/*.bpf.c --clang -target bpf--> build/bpf/*.o --bpftool gen object--> one
#            linked object --bpftool gen skeleton--> build/skel/daxtrace.skel.h
# userspace: user/{engine,output,cmd}/*.c -> build/libdaxtrace.a; user/main.c -> build/daxtrace
# tests:     tests/unit/test_*.c (cmocka) -> build/tests/unit/*; tests/run.sh runs every suite.
#
# Building never installs packages: `make deps` (tools/deps.sh) does, and check, demo and bench
# run it first.

CLANG     ?= clang
BPFTOOL   ?= bpftool
CC        ?= gcc
BUILD     := build
PREFIX    ?= /usr/local
VM        ?= 1

# The kernel's name for this machine, as bpf_tracing.h's __TARGET_ARCH_* and vmlinux/ know it.
MACHINE   := $(shell uname -m)
ARCH      ?= $(shell echo $(MACHINE) | sed -e 's/x86_64/x86/' -e 's/i.86/x86/' \
	-e 's/aarch64/arm64/' -e 's/arm.*/arm/' -e 's/riscv64/riscv/' -e 's/s390x/s390/' \
	-e 's/ppc64.*/powerpc/' -e 's/loongarch64/loongarch/')
VMLINUX_H := vmlinux/$(ARCH)/vmlinux.h

# The version has one home, debian/changelog's first entry (the package's version too); the
# commit is the tree's, "-dirty" with uncommitted changes, "unknown" outside a git checkout of
# this tree (a release tarball inside some other repository must not take its commit).
# Without dpkg-dev (a fresh machine before make deps: this file is read before deps runs),
# the first line's "daxtrace (VERSION) ..." is read directly.
CHANGELOG_VERSION := 1s/^daxtrace (\([^)]*\)).*/\1/p
DAXTRACE_VERSION := $(or $(shell dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null),$\
	$(shell sed -n '$(CHANGELOG_VERSION)' debian/changelog 2>/dev/null))
ifeq ($(DAXTRACE_VERSION),)
$(error cannot read the version from the first line of debian/changelog)
endif
DAXTRACE_GIT := $(shell [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" ] && \
	git rev-parse --short=12 HEAD 2>/dev/null)
DAXTRACE_GIT := $(if $(DAXTRACE_GIT),$(DAXTRACE_GIT)$(shell git diff --quiet HEAD -- || \
	echo -dirty),unknown)
VERSION_STAMP := $(BUILD)/version.stamp

LIBBPF_DIR := $(BUILD)/libbpf
LIBBPF_A   := $(LIBBPF_DIR)/libbpf.a

# `make CFLAGS=...` replaces the optimisation flags, never the warnings or the dependency files.
CFLAGS    ?= -O2 -g
override CFLAGS += -Wall -Wextra -Werror -std=gnu11 -MMD -MP
override CPPFLAGS += -Iinclude -Iuser -I$(BUILD)/skel -I$(LIBBPF_DIR)/include -D_GNU_SOURCE
# libbpf, libelf, zlib and json-c are linked statically so that build/daxtrace can be copied to
# a pmem server as one file; glibc stays dynamic. The Debian package (STATIC_SYSTEM_LIBS=0) links
# libelf, zlib and json-c dynamically, as Debian's policy wants (lintian: embedded-library), so
# that their security updates reach it; libbpf 1.7 stays static, bookworm has only 1.1.
STATIC_SYSTEM_LIBS ?= 1
# json-c reads records (diff, report): static with them, dynamic in the package. ncurses draws
# the interactive top and cow (its terminfo database is read at run time, from the system).
SYSTEM_LIBS := -lelf -lz -ljson-c -lncursesw -ltinfo
ifeq ($(STATIC_SYSTEM_LIBS),1)
SYSTEM_LIBS := -Wl,-Bstatic $(SYSTEM_LIBS) -Wl,-Bdynamic
endif
LDLIBS    += $(LIBBPF_A) $(SYSTEM_LIBS)
# The exporter's HTTP server: Debian's libmicrohttpd, shared (a security update reaches it).
LDLIBS    += -lmicrohttpd -lpthread
# libbpf takes the engine's parsed vmlinux BTF (user/engine/kernel_btf.c); -u links the
# wrapper into every program, the unit tests too, since libbpf.o calls it.
LDLIBS    += -Wl,--wrap=btf__load_vmlinux_btf -Wl,-u,__wrap_btf__load_vmlinux_btf
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	-Ivmlinux/$(ARCH) -Iinclude -Ibpf -I$(LIBBPF_DIR)/include -MMD -MP

# maps.bpf.c first: the bookworm linker (libbpf 1.1) resolves an extern map only against a
# definition it has already seen ("map relo failed to find map for section '.maps'").
BPF_SRCS    := bpf/maps.bpf.c $(filter-out bpf/maps.bpf.c,$(wildcard bpf/*.bpf.c))
BPF_OBJS    := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
SKEL        := $(BUILD)/skel/daxtrace.skel.h
LIB_SRCS    := $(wildcard user/engine/*.c user/output/*.c user/cmd/*.c) user/version.c
LIB_OBJS    := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRCS))
# Only the files that include the skeleton wait for it (and rebuild when it changes).
SKEL_USERS  := $(patsubst %.c,$(BUILD)/%.o,$(shell grep -l '"daxtrace.skel.h"' $(LIB_SRCS)))
LIB         := $(BUILD)/libdaxtrace.a
UNIT_SRCS   := $(wildcard tests/unit/test_*.c)
UNIT_BINS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
# One program per tools/workload/dt-*.c; dt-workload also has scenarios.c (and is installed as
# daxtrace-workload, build/daxtrace-workload its link here).
TOOL_SRCS   := $(wildcard tools/workload/dt-*.c)
TOOL_BINS   := $(patsubst tools/workload/%.c,$(BUILD)/tools/%,$(TOOL_SRCS))
MAN_PAGES   := $(wildcard docs/*.[1-8])
FORMATTED   := $(shell git ls-files '*.c' '*.h' 2>/dev/null | grep -v '^vmlinux/')

.PHONY: all deps check test check-format check-shell format demo bench designs soak soak-exporter install clean vm-shell
.DELETE_ON_ERROR:

all: $(BUILD)/daxtrace $(BUILD)/daxtop $(TOOL_BINS) $(BUILD)/daxtrace-workload

deps:
	@DAXTRACE_DEPS_QUIET=1 tools/deps.sh

# libbpf is built with its own flags, whoever asks: under dpkg-buildpackage CFLAGS comes from
# the environment, and make exports it with our -Wextra -Werror added, which libbpf 1.7's
# bpf.c does not pass (-Wsign-compare).
$(LIBBPF_A): tools/libbpf.sh
	env -u CFLAGS -u CPPFLAGS -u LDFLAGS tools/libbpf.sh $(LIBBPF_DIR)

$(VMLINUX_H):
	@echo "make: no $@ for this machine ($(MACHINE)): generate it on a $(MACHINE) kernel with BTF," >&2
	@echo "      tools/gen-vmlinux.sh /sys/kernel/btf/vmlinux $@ (or set ARCH=)" >&2
	@exit 1

# The census updates owner counts with atomic fetch-and-add and compare-and-swap (BPF_FETCH,
# kernel v5.12), which clang 14 emits only for -mcpu=v3. The other objects keep the default ISA.
$(BUILD)/bpf/share.bpf.o: BPF_CFLAGS += -mcpu=v3

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(VMLINUX_H) | $(BUILD)/bpf $(LIBBPF_A)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bpf/daxtrace.linked.o: $(BPF_OBJS)
	$(BPFTOOL) gen object $@ $^

$(SKEL): $(BUILD)/bpf/daxtrace.linked.o | $(BUILD)/skel
	$(BPFTOOL) gen skeleton $< name daxtrace_bpf > $@

$(SKEL_USERS): $(SKEL)

# Rewritten only when the version or the commit changed: its date then rebuilds version.o, and
# through the library daxtrace, and nothing else.
$(VERSION_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(DAXTRACE_VERSION) $(DAXTRACE_GIT)' | cmp -s - $@ 2>/dev/null || \
		echo '$(DAXTRACE_VERSION) $(DAXTRACE_GIT)' > $@

$(BUILD)/user/version.o: $(VERSION_STAMP)
$(BUILD)/user/version.o: override CPPFLAGS += -DDAXTRACE_VERSION='"$(DAXTRACE_VERSION)"' \
	-DDAXTRACE_GIT='"$(DAXTRACE_GIT)"'

FORCE:

$(BUILD)/%.o: %.c | $(LIBBPF_A)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# From scratch: `ar r` into an old archive would keep the objects of deleted sources.
$(LIB): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/daxtrace: $(BUILD)/user/main.o $(LIB)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/daxtop: $(BUILD)/daxtrace
	ln -sf daxtrace $@

# Static, so that one file can be copied into a guest or onto a pmem server; the Debian package
# links it like its other programs (TOOL_LINK=, debian/rules). The tools include none of the
# tree's headers: of CPPFLAGS only what comes from outside (dpkg's -D_FORTIFY_SOURCE=2).
TOOL_LINK ?= -static
$(BUILD)/tools/dt-workload: tools/workload/scenarios.c tools/workload/workload.h
$(BUILD)/tools/%: tools/workload/%.c
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -I% -D_GNU_SOURCE,$(CPPFLAGS)) $(CFLAGS) $(LDFLAGS) $(TOOL_LINK) \
		$(filter %.c,$^) -o $@

$(BUILD)/daxtrace-workload: $(BUILD)/tools/dt-workload
	ln -sf tools/dt-workload $@

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB) | $(SKEL)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LIB) -lcmocka $(LDLIBS) -o $@

$(BUILD)/bpf $(BUILD)/skel:
	mkdir -p $@

# A decimal-comma locale for the JSON writer's locale test, built here, not installed.
$(BUILD)/locale/de_DE.UTF-8:
	@mkdir -p $(dir $@)
	localedef -i de_DE -f UTF-8 $@

# check, demo and bench install what they need first, then build: under make -j too.
# The build runs one job per CPU (nproc); the tests then run as tests/run.sh orders them.
check: deps
	@$(MAKE) --no-print-directory -j$(shell nproc) test

test: all $(UNIT_BINS) fuzz-build $(BUILD)/locale/de_DE.UTF-8 $(if $(filter 0,$(SAN)),,sanitize)
	@LOCPATH=$(BUILD)/locale VM=$(VM) BUILD=$(BUILD) tests/run.sh

check-format:
	@clang-format --dry-run --Werror $(FORMATTED)

check-shell:
	@tools/shellcheck.sh

format:
	clang-format -i $(FORMATTED)

demo: deps
	@$(MAKE) --no-print-directory all
	tools/vm/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all
	tests/bench/run.sh

# The design workloads at scale (tools/designs/, docs/designs/README.md): one TCG guest per
# kernel, one after the other, about an hour in all; not part of check. The captures go to
# docs/designs/KERNEL/, the streams to /tmp/daxtrace-designs/KERNEL/.
DESIGNS_KERNELS ?= bookworm trixie sid
designs: all
	for k in $(DESIGNS_KERNELS); do BUILD=$(BUILD) tools/designs/run.sh $$k || exit 1; done

# The long run (tests/soak/run.sh, docs/performance.md "Long runs"); not part of check. Root.
SOAK_SECONDS ?= 3600
SOAK_FILES   ?= 100000
SOAK_PROCS   ?= 10000
soak: all
	SOAK_SECONDS=$(SOAK_SECONDS) SOAK_FILES=$(SOAK_FILES) SOAK_PROCS=$(SOAK_PROCS) \
		BUILD=$(BUILD) tests/soak/run.sh

# The exporter's long run (tests/soak/exporter.sh, docs/performance.md "Exporter"). Root.
SOAK_EXPORTER_SECONDS ?= 600
soak-exporter: all
	SOAK_EXPORTER_SECONDS=$(SOAK_EXPORTER_SECONDS) BUILD=$(BUILD) tests/soak/exporter.sh

vm-shell: all
	tools/vm/run.sh --kernel $(or $(KERNEL),sid) --interactive

# The binary, the daxtop link, dt-workload as daxtrace-workload (a user's tool: bin, section 1),
# every man page in its section's directory (daxtop(8) a link to daxtrace-top(8)), bash
# completion for the three names, and the exporter's unit (not enabled).
SYSTEMD_UNIT_DIR    ?= $(PREFIX)/lib/systemd/system
BASH_COMPLETION_DIR ?= $(PREFIX)/share/bash-completion/completions
install: $(BUILD)/daxtrace $(BUILD)/tools/dt-workload
	install -D -m 0755 $(BUILD)/daxtrace $(DESTDIR)$(PREFIX)/sbin/daxtrace
	ln -sf daxtrace $(DESTDIR)$(PREFIX)/sbin/daxtop
	install -D -m 0755 $(BUILD)/tools/dt-workload $(DESTDIR)$(PREFIX)/bin/daxtrace-workload
	for page in $(MAN_PAGES); do \
		section=$${page##*.}; \
		install -D -m 0644 $$page $(DESTDIR)$(PREFIX)/share/man/man$$section/$${page##*/} \
			|| exit 1; \
	done
	ln -sf daxtrace-top.8 $(DESTDIR)$(PREFIX)/share/man/man8/daxtop.8
	install -D -m 0644 packaging/bash-completion/daxtrace $(DESTDIR)$(BASH_COMPLETION_DIR)/daxtrace
	ln -sf daxtrace $(DESTDIR)$(BASH_COMPLETION_DIR)/daxtop
	install -D -m 0644 packaging/bash-completion/daxtrace-workload \
		$(DESTDIR)$(BASH_COMPLETION_DIR)/daxtrace-workload
	install -D -m 0644 packaging/daxtrace-exporter.service \
		$(DESTDIR)$(SYSTEMD_UNIT_DIR)/daxtrace-exporter.service

# --- The Debian package (debian/, docs/testing.md "The Debian package") ------------------------
# `make deb`: dpkg-buildpackage -b builds in build/pkg (debian/rules; libbpf is build/libbpf,
# reused or built) and leaves daxtrace_VERSION_ARCH.deb, its .buildinfo and .changes (and the
# -dbgsym package) in build/deb, not in the parent directory. The tree stays clean: what the
# build writes under debian/ is in .gitignore, and debian/rules clean removes it.
# `make deb-check`: that, lintian failing on any error, and tests/deb/install.sh, which installs
# the .deb into a fresh minbase bookworm (debootstrap; network, root, a few minutes). Neither
# is part of make check.
DEB_DIR  := $(BUILD)/deb
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEB_NAME := $(DEB_DIR)/daxtrace_$(DAXTRACE_VERSION)_$(DEB_ARCH)
DEB      := $(DEB_NAME).deb
.PHONY: deb deb-check
deb:
	@mkdir -p $(DEB_DIR)
	rm -f $(DEB_DIR)/daxtrace_* $(DEB_DIR)/daxtrace-dbgsym_*
	DAXTRACE_DEB_DIR=$(CURDIR)/$(DEB_DIR) dpkg-buildpackage -b -us -uc -Jauto \
		--buildinfo-option=-u$(DEB_DIR) --buildinfo-file=$(DEB_NAME).buildinfo \
		--changes-option=-u$(DEB_DIR) --changes-file=$(DEB_NAME).changes
	@echo "make deb: $(DEB)"

deb-check: deb
	lintian --fail-on error $(DEB)
	tests/deb/install.sh $(DEB)

clean:
	rm -rf $(BUILD)

# --- The sanitizer lane (docs/testing.md) -----------------------------------------------------
# The library, daxtrace and the unit tests once more, with AddressSanitizer (LeakSanitizer
# included) and UndefinedBehaviorSanitizer, in $(BUILD)/san: the normal build is untouched.
# make check (make test) runs the unit tests and the host end-to-end suite with them (SAN=0
# skips it). libbpf is not rebuilt: the lane links the one in $(LIBBPF_DIR). The
# runtimes are linked statically: next to a shared libasan, gcc 12's shared libubsan ignores
# UBSAN_OPTIONS=log_path, and tests/run.sh needs every report in a file of its own.
SAN       ?= 1
SAN_BUILD := $(BUILD)/san
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all -static-libasan -static-libubsan
export SAN
.PHONY: sanitize
sanitize: all
	@$(MAKE) --no-print-directory BUILD=$(SAN_BUILD) LIBBPF_DIR=$(LIBBPF_DIR) \
		CFLAGS='$(SAN_FLAGS)' LDFLAGS='$(SAN_FLAGS)' \
		$(SAN_BUILD)/daxtrace $(patsubst $(BUILD)/%,$(SAN_BUILD)/%,$(UNIT_BINS))

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# --- Fuzzing (docs/testing.md, "Fuzzing") -------------------------------------------------------
# One libFuzzer target per parser of outside input, tests/fuzz/fuzz_NAME.c, built with clang
# (libFuzzer is in Debian's libclang-rt-14-dev) together with the engine files it needs, under
# ASan and UBSan, into $(BUILD)/fuzz. `make fuzz` runs each for FUZZ_SECONDS, adding what it
# finds to $(BUILD)/fuzz/corpus/NAME (the tree's tests/fuzz/corpus/NAME stays a small seed
# set); make test runs each over the seeds plus 2 s (the fuzz suite of tests/run.sh).
# FUZZ_TARGETS="mounts smaps record" picks some; FUZZ_LIBS_NAME, the system libraries a target
# links (record: json-c).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
# FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION: libFuzzer's convention for the checks a fuzzer
# cannot pass by chance (the share stream's CRC), skipped so that it reaches the ones after.
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -std=gnu11 \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS    := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_HEADERS := $(wildcard include/*.h user/engine/*.h user/output/*.h tests/fuzz/*.h)
FUZZ_SRCS_mounts   := user/engine/mounts.c user/engine/kernel_escape.c \
	user/engine/numbers.c user/engine/grow_array.c
FUZZ_SRCS_kallsyms := user/engine/ksyms.c user/engine/grow_array.c
FUZZ_SRCS_iomem    := user/engine/pmem.c
FUZZ_SRCS_smaps    := user/engine/smaps.c $(FUZZ_SRCS_mounts)
FUZZ_SRCS_options  := user/engine/options.c user/engine/numbers.c \
	user/engine/report_error.c user/output/json_writer.c user/output/utf8.c
FUZZ_SRCS_record   := user/engine/record_file.c user/engine/record_metrics.c \
	user/engine/grow_array.c user/cmd/diff_compare.c user/output/text_escape.c user/output/utf8.c
FUZZ_SRCS_share_stream := user/engine/share_stream_read.c user/engine/share_replay.c \
	user/engine/pfn_table.c user/engine/census.c user/engine/share_model.c \
	user/engine/map_read.c user/engine/grow_array.c user/output/hist.c \
	user/output/json_writer.c user/output/utf8.c user/engine/mapuse_report.c \
	user/engine/ksyms.c user/engine/share_costs.c user/engine/share_price.c
# The system libraries a target links (json-c's own code is not instrumented); census.c reads
# maps too (census_read, never called here): libbpf, for the link only.
FUZZ_LIBS_record   := -ljson-c
FUZZ_LIBS_share_stream := $(LIBBPF_A) -lelf -lz

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

# tests/fuzz/run.sh reports a crash as a FAIL line and goes on with the next target; make fails.
fuzz: fuzz-build
	@BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SCRATCH=$(BUILD)/fuzz/corpus \
		FUZZ_TARGETS='$(FUZZ_TARGETS)' tests/fuzz/run.sh | tee $(BUILD)/fuzz/results
	@! grep -q '^FAIL' $(BUILD)/fuzz/results

.SECONDEXPANSION:
$(BUILD)/fuzz/fuzz_share_stream: $(LIBBPF_A)
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $$(FUZZ_SRCS_$$*) $(FUZZ_HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -Itests/fuzz $(FUZZ_FLAGS) $(filter %.c,$^) $(FUZZ_LIBS_$*) -o $@
