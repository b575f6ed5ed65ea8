# check-solo5: the interop suite against Solo5 itself (selftests/solo5),
# never part of `make check` because it needs a Solo5 source tree:
#
#   make check-solo5 SOLO5_SRC=DIR [SOLO5_KERNEL=6.1|6.12|all]
#
# builds Solo5's hvt tender and hvt test unikernels from DIR with Solo5's
# own toolchain (scripts/build-solo5.sh, into $(BUILD)/solo5; nothing is
# downloaded), then in the test VM runs each Solo5 test unikernel on petrel
# with the outcome Solo5's tests/tests.bats expects of solo5-hvt, and
# petrel's test guests on Solo5's solo5-hvt.
SOLO5_SRC ?=
SOLO5_KERNEL ?= all

.PHONY: check-solo5 solo5
# A bad SOLO5_SRC is reported before anything is installed or built.
check-solo5:
	@scripts/build-solo5.sh --check "$(SOLO5_SRC)"
	@scripts/install-deps.sh
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory solo5
	@selftests/vm.sh --kernel "$(SOLO5_KERNEL)" --suite solo5

# solo5: only the build of Solo5 from SOLO5_SRC (also what `make bench
# SOLO5_SRC=DIR` builds before bench/guest's `solo5` target, bench.c against
# Solo5's own bindings, for solo5-hvt's rows).
solo5:
	@scripts/build-solo5.sh "$(SOLO5_SRC)" "$(BUILD)/solo5"
