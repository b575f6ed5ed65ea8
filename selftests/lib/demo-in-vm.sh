#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# demo-in-vm.sh SCENE...: run demo scenes (lib/demo/<scene>.sh) with the
# same environment as tests: in the test VM (started by demo.sh, which
# passes --vm) or directly on a host with /dev/kvm. Ends with the line
# "PETREL-DEMO-END <status>" so demo.sh knows how it went.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/test-env.sh"

vm=0
[ "${1:-}" = --vm ] && { vm=1; shift; }
src=$(cd "$here/../.." && pwd)
if [ $vm = 1 ]; then
	dmesg -n 1
	test_env /petrel /petrel-build
	vm_load_modules >/dev/null 2>&1
else
	test_env "$src" "${BUILD:-$src/build}"
fi

status=0
for scene in "$@"; do
	cd "$(mktemp -d "${TMPDIR:-/tmp}/petrel-demo.XXXXXX")" || exit 1
	timeout -k 5 60 "$here/demo/$scene.sh" </dev/null 2>&1
	rc=$?
	[ $rc = 124 ] && echo "demo: $scene timed out after 60 s"
	[ $rc = 0 ] || status=1
done
echo "PETREL-DEMO-END $status"
