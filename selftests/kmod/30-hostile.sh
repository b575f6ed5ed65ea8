#!/bin/bash
# A guest that corrupts its rings: the host survives, the counters show
# the drops, good traffic flows again afterwards.
. "$(dirname "$0")/kmod-lib.bash"
load_petrel
"$TESTS/hostile_test"
rc=$?
unload_petrel || rc=1
exit $rc
