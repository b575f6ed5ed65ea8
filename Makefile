# petrel: top-level build. `make` builds the userspace parts; `make check`
# runs every test (installing missing Debian packages first); `make demo`
# boots a unikernel. Build outputs go to build/ (BUILD=...).
#
# Kernel module: `make modules` builds kmod/ against KDIR through the
# top-level Kbuild file (kbuild reads Kbuild, not this Makefile).

BUILD ?= $(CURDIR)/build
KDIR ?= /lib/modules/$(shell uname -r)/build
export BUILD

.PHONY: all deps tender bindings guests modules check check-host demo clean

all: tender bindings guests

deps:
	@scripts/install-deps.sh

# ---- tender/ ----
tender:
	$(MAKE) -C tender

# ---- bindings/ (guest runtime and host tools) ----
bindings:
	$(MAKE) -C bindings

# ---- selftests/guests: test unikernels ----
guests: bindings
	$(MAKE) -C selftests/guests

# ---- kmod/ ----
modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# ---- tests (selftests/) ----
# check: host unit tests, then the KVM suites inside QEMU VMs booting
# Debian's 6.1 and 6.12 kernels (no /dev/kvm needed); one KTAP report
# ending in "N passed, N failed". check-host: the KVM suites on this
# host's /dev/kvm instead. demo: hello on KVM (in the test VM if need be).
# During development, selftests/vm.sh runs single suites or tests.
check: deps
	@$(MAKE) --no-print-directory all
	@selftests/check.sh

check-host: all
	@selftests/check.sh --host

demo: deps
	@$(MAKE) --no-print-directory all
	@selftests/demo.sh

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null 2>&1
