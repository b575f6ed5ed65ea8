# petrel: top-level build. `make` builds the userspace parts; `make check`
# runs every test (installing missing Debian packages first); `make demo`
# boots a unikernel. Build outputs go to build/ (BUILD=...).
#
# Kernel module: `make modules` builds kmod/ against KDIR through the
# top-level Kbuild file (kbuild reads Kbuild, not this Makefile).

BUILD ?= $(CURDIR)/build
KDIR ?= /lib/modules/$(shell uname -r)/build
export BUILD

.PHONY: all deps tender bindings guests bench-tools modules check check-host \
	check-long demo bench clean fuzz soak

all: tender bindings guests bench-tools

deps:
	@scripts/install-deps.sh

# ---- tender/ ----
tender:
	$(MAKE) -C tender

# ---- tools/petrel-stat: netlink client for the per-VM counters ----
# stat-tests: helper programs of the selftests/stat suite.
.PHONY: petrel-stat stat-tests
all: petrel-stat stat-tests
# Its Makefile does not read CPPFLAGS: they reach its compiler in CFLAGS.
PETREL_STAT_FLAGS := $(if $(strip $(CPPFLAGS)),CFLAGS="$(CPPFLAGS) $(or $(CFLAGS),-O2 -g)")
petrel-stat:
	$(MAKE) -C tools/petrel-stat $(PETREL_STAT_FLAGS)
stat-tests:
	$(MAKE) -C selftests/stat

# ---- bindings/ (guest runtime and host tools) ----
bindings:
	$(MAKE) -C bindings

# ---- selftests/guests: test unikernels ----
guests: bindings
	$(MAKE) -C selftests/guests

# ---- bench/: the benchmark unikernel and its host tools ----
bench-tools: bindings
	$(MAKE) -C bench/guest
	$(MAKE) -C bench/host

# ---- kmod/ ----
# `modules`: one build against KDIR, in place (the kbuild convention).
# `modules-all`: petrel.ko for every installed Debian kernel with headers,
# each built in its own copy of the sources so the trees never mix, to
# $(BUILD)/kmod/<kver>/petrel.ko (what the test VMs load).
# `kmod-lint`: checkpatch --strict and sparse over the module sources.
# `kmod-tests`: the selftests/kmod programs, to $(BUILD)/kmod-tests/.
KMOD_SRC := Kbuild $(wildcard kmod/*.c kmod/*.h) kmod/Kbuild kmod/Kconfig abi/petrel.h \
	abi/hvt_abi.h
KMOD_KVERS := $(notdir $(patsubst %/build,%,$(wildcard /lib/modules/*/build)))
KMOD_OUTS := $(foreach k,$(KMOD_KVERS),$(BUILD)/kmod/$(k)/petrel.ko)
LINUX_SOURCE_TAR ?= /usr/src/linux-source-6.1.tar.xz
CHECKPATCH := $(BUILD)/linux-tools/scripts/checkpatch.pl

.PHONY: modules-all kmod-lint kmod-tests kvm-tests
all: modules-all kmod-tests kvm-tests

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules-all: $(KMOD_OUTS)

# The module must be built with the compiler its kernel was built with, so
# a user's CC=clang for the userspace parts is not passed down to kbuild:
# command-line variables travel to sub-makes in MAKEFLAGS, hence KBUILD_ENV.
KBUILD_ENV := env -u MAKEFLAGS -u MFLAGS -u CC -u CFLAGS -u LDFLAGS
KBUILD_JOBS ?= $(shell nproc)

$(BUILD)/kmod/%/petrel.ko: $(KMOD_SRC)
	@rm -rf $(BUILD)/kmod/$*/src
	@mkdir -p $(BUILD)/kmod/$*/src
	@tar -cf - $(KMOD_SRC) | tar -xf - -C $(BUILD)/kmod/$*/src
	$(KBUILD_ENV) $(MAKE) -j$(KBUILD_JOBS) -C /lib/modules/$*/build \
		M=$(BUILD)/kmod/$*/src modules
	@cp $(BUILD)/kmod/$*/src/kmod/petrel.ko $@

$(CHECKPATCH):
	@mkdir -p $(BUILD)/linux-tools
	tar -xJf $(LINUX_SOURCE_TAR) -C $(BUILD)/linux-tools --strip-components=1 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	@touch $@

# The kernel's YNL schema that abi/petrel.yaml must pass (selftests/lint),
# from Debian's linux-source-6.12: 6.1 has no genetlink-legacy schema.
LINUX_SOURCE_6_12_TAR ?= /usr/src/linux-source-6.12.tar.xz
YNL_SCHEMA := $(BUILD)/linux-tools-6.12/Documentation/netlink/genetlink-legacy.yaml

$(YNL_SCHEMA):
	@mkdir -p $(BUILD)/linux-tools-6.12
	tar -xJf $(LINUX_SOURCE_6_12_TAR) -C $(BUILD)/linux-tools-6.12 \
		--strip-components=1 --wildcards '*/Documentation/netlink/genetlink-legacy.yaml'
	@touch $@

kmod-lint: $(CHECKPATCH) modules-all
	$(CHECKPATCH) --strict --no-tree --terse --show-types -f \
		$(wildcard kmod/*.c kmod/*.h)
	@for k in $(KMOD_KVERS); do \
		echo "sparse: $$k"; \
		$(KBUILD_ENV) $(MAKE) --no-print-directory -C /lib/modules/$$k/build \
			M=$(BUILD)/kmod/$$k/src C=2 W=1 modules || exit 1; \
	done

kmod-tests:
	$(MAKE) -C selftests/kmod

# ---- installing and packaging ----
# install, install-bin, install-dev, install-dkms, uninstall: mk/install.mk.
# deb: mk/deb.mk.
include mk/install.mk mk/deb.mk
include mk/solo5.mk

# Helper programs of the KVM suite (selftests/kvm/*.c).
kvm-tests:
	$(MAKE) -C selftests/kvm

# ---- tests (selftests/) ----
# check: the KVM suites inside QEMU VMs booting Debian's 6.1 and 6.12
# kernels (no /dev/kvm needed) with the host unit tests and static checks
# beside them, and the install test (selftests/install-test.sh, as root:
# make deb, the packages installed, DKMS's module and the installed tender
# in the VMs, purged) as soon as a core is free; one KTAP report ending in
# "N passed, N failed", about 20 minutes on two cores. check-host: the same
# with the KVM suites on this host's /dev/kvm instead. check-long: the
# endurance runs (the 1,000,000-frame ring transfer each way, the soak
# suite, each fuzzer for FUZZ_SECONDS), before a release. demo: hello on
# KVM (in the test VM if need be).
# During development, selftests/vm.sh runs single suites or tests.
check: deps
	@$(MAKE) --no-print-directory all
	@selftests/check.sh

check-host: all
	@selftests/check.sh --host

check-long: deps
	@$(MAKE) --no-print-directory all
	@selftests/check-long.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@selftests/demo.sh

# bench: guest networking and start-up figures (see bench/bench.sh), to
# $(BUILD)/bench/: results.json, results.txt, throughput.png. With
# SOLO5_SRC=DIR (a Solo5 source tree, built as check-solo5 builds it, see
# mk/solo5.mk) also solo5-hvt's rows: bench.c built with Solo5's own
# toolchain and bindings, on Solo5's own tender, in the same VM boot.
bench: deps
	@$(MAKE) --no-print-directory all
	@if [ -n "$(SOLO5_SRC)" ]; then \
		scripts/build-solo5.sh --check "$(SOLO5_SRC)" && \
		$(MAKE) --no-print-directory solo5 && \
		$(MAKE) --no-print-directory -C bench/guest solo5; \
	fi
	@bench/bench.sh $(if $(SOLO5_SRC),--solo5)

# fuzz: every libFuzzer target (selftests/unit/fuzz.sh) for FUZZ_SECONDS
# each (make check runs them 20 s each, make check-long 300 s), growing the corpus kept in
# build/fuzz/corpus/; a crashing input lands in build/fuzz/crashes/: fix
# the bug and keep the input as a regression case, written by
# selftests/unit/fuzz_seeds.c (or, if it is text, in
# selftests/unit/corpus/NAME/).
FUZZ_SECONDS ?= 300
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_KEEP=$(BUILD)/fuzz selftests/unit/fuzz.sh

# soak: the soak suite (selftests/soak, part of check-long only) in the test
# VM: guests started and stopped in a loop with traffic for SOAK_SECONDS,
# then kernel memory checked against its starting level. SOAK_KERNEL picks
# the kernel series (6.1, 6.12 or all).
SOAK_SECONDS ?= 600
SOAK_KERNEL ?= all
soak: deps
	@$(MAKE) --no-print-directory all
	SOAK_SECONDS=$(SOAK_SECONDS) selftests/vm.sh --kernel $(SOAK_KERNEL) --suite soak

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null 2>&1
