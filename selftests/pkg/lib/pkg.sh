# shellcheck shell=bash
# Sourced by the pkg suite's scripts. The suite tests the installed Debian
# packages: selftests/install-test.sh installs them on the host and boots
# the test VM with `run-suites.sh --installed`, which points PETREL at
# /usr/bin/petrel, GUESTS at guests built against petrel-dev, and sets
# PETREL_INSTALLED=1. Anywhere else these tests skip.

. "$(dirname "${BASH_SOURCE[0]}")/../../lib/wait.sh"

fail() {
	echo "FAIL: $*"
	exit 1
}

if [ "${PETREL_INSTALLED:-0}" != 1 ]; then
	echo "SKIP: tests the installed packages; run selftests/install-test.sh"
	exit 4
fi
[ "$PETREL" = /usr/bin/petrel ] || fail "PETREL is $PETREL, not the installed /usr/bin/petrel"
[ -x "$PETREL" ] || fail "$PETREL is not installed (package petrel)"
