#!/bin/bash
# Devices the command line and the manifest disagree on, and bad backing
# objects: one line naming the device or file, exit 1.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24
run_tender 1 --mem=32 "$GUESTS/net.hvt" 10.0.0.2
expect 'service0'; expect_lines 1
run_tender 1 --mem=32 --block:storage=/dev/null "$GUESTS/hello.hvt"
expect 'storage'; expect_lines 1
run_tender 1 --mem=32 --block:service0="$TESTTMP/x" "$GUESTS/net.hvt" 1.2.3.4
expect 'service0'; expect_lines 1
# The tap exists only in the test's namespace: from here it does not.
run_tender 1 --mem=32 --net:service0=tap0 "$GUESTS/net.hvt" 10.0.0.2
expect 'tap0'; expect_lines 1
# A regular interface, not a tap.
in_ns ip link add dummy0 type dummy 2>/dev/null || in_ns ip link add veth0 type veth peer name veth1
dev=$(in_ns ip -o link | awk -F': ' '/dummy0|veth0/ {print $2; exit}'); dev=${dev%@*}
out=$(in_ns "$PETREL" "${PETREL_OPTS[@]}" --mem=32 --net:service0="$dev" "$GUESTS/net.hvt" 10.0.0.2 2>&1); st=$?
echo "$out"; [ $st -eq 1 ] || fail "exit status $st for non-tap $dev"
expect "$dev"; expect_lines 1
# A tap already in use by another tender.
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/net.hvt" 10.0.0.2
out=$(in_ns "$PETREL" "${PETREL_OPTS[@]}" --mem=32 --net:service0=tap0 "$GUESTS/net.hvt" 10.0.0.3 2>&1); st=$?
echo "$out"; [ $st -eq 1 ] || fail "exit status $st for busy tap"
expect 'tap0'; expect_lines 1
stop_guest
# Block files: missing, not a multiple of the sector size, bad sector size.
run_tender 1 --mem=32 --block:storage="$TESTTMP/missing.img" "$GUESTS/blk.hvt"
expect 'missing\.img'; expect_lines 1
head -c 1000 /dev/zero >"$TESTTMP/odd.img"
run_tender 1 --mem=32 --block:storage="$TESTTMP/odd.img" "$GUESTS/blk.hvt"
expect 'odd\.img'; expect_lines 1
truncate -s 1M "$TESTTMP/ok.img"
run_tender 1 --mem=32 --block:storage="$TESTTMP/ok.img" \
	--block-sector-size:storage=1000 "$GUESTS/blk.hvt"
expect_lines 1
