#!/bin/bash
# Solo5's shared ring served by petrel.ko, with a test program as the
# Solo5 guest: registration errors, exact traffic, hostile entries and
# index games with exact counters, and the worker's rules.
. "$(dirname "$0")/kmod-lib.bash"
load_petrel
"$TESTS/hvt_test"
rc=$?
unload_petrel || rc=1
exit $rc
