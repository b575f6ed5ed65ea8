#!/bin/bash
# Every ioctl field refused with its documented errno; double registration,
# overlap, a full VM, unregistered devices, pinned pages in VmPin,
# RLIMIT_MEMLOCK, close releases.
. "$(dirname "$0")/kmod-lib.bash"
load_petrel
"$TESTS/ioctl_test"
rc=$?
unload_petrel || rc=1
exit $rc
