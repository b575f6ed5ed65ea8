#!/bin/bash
# Close and kill with traffic in flight, and an owner whose forked child
# outlives it; then the VMs are gone from netlink, the taps are gone, and
# rmmod petrel succeeds.
. "$(dirname "$0")/kmod-lib.bash"
load_petrel
"$TESTS/teardown_test"
rc=$?
unload_petrel || rc=1
[ -e /dev/petrel ] && { echo "/dev/petrel still exists after rmmod"; rc=1; }
exit $rc
