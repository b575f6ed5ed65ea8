# shellcheck shell=bash
# Sourced by the kmod suite's scripts (not a test itself: no .sh suffix).
# Environment from the runner: PETREL_KO, PETREL_BUILD, KVER, TESTTMP.
TESTS=$PETREL_BUILD/kmod-tests
. "$(dirname "${BASH_SOURCE[0]}")/../lib/wait.sh"

fail() {
	echo "FAIL: $*"
	exit 1
}

# load_petrel: insert the module built for this kernel (and tun).
load_petrel() {
	[ -f "$PETREL_KO" ] || fail "no module for $KVER at $PETREL_KO (run make modules-all)"
	[ -x "$TESTS/rings_test" ] || fail "test programs missing in $TESTS (run make kmod-tests)"
	modprobe tun || fail "modprobe tun"
	if grep -q '^petrel ' /proc/modules; then
		rmmod petrel || fail "a previous petrel is still loaded and busy"
	fi
	insmod "$PETREL_KO" || fail "insmod $PETREL_KO"
	wait_until "/dev/petrel to appear after insmod" test -c /dev/petrel
	mode=$(stat -c %a /dev/petrel)
	[ "$mode" = 600 ] || fail "/dev/petrel has mode $mode, expected 600"
}

# unload_petrel: rmmod must succeed: nothing may hold the module.
unload_petrel() {
	rmmod petrel || { echo "rmmod petrel failed"; return 1; }
	! grep -q '^petrel ' /proc/modules
}
