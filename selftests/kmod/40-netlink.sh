#!/bin/bash
# genetlink: strict policies, permissions, per-netns visibility, events,
# and a complete dump of 200 VMs.
. "$(dirname "$0")/kmod-lib.bash"
load_petrel
"$TESTS/netlink_test"
rc=$?
unload_petrel || rc=1
exit $rc
