#!/bin/bash
# TX and RX through the rings, byte-exact, sizes 60..1514, bursts larger
# than the ring, exact netlink counters.
. "$(dirname "$0")/kmod-lib.bash"
load_petrel
"$TESTS/rings_test"
rc=$?
unload_petrel || rc=1
exit $rc
