#!/bin/bash
# timeout: 120
# Operator errors not covered by 33 and 45, each one line naming the
# problem and exit status 1, never a hang: images that are a FIFO or a
# character device; memory sizes out of range; a tap name too long; block
# files locked by a running VM or by another process (each file serves one
# VM), or on a read-only file system. A refused run leaves no state: the
# tap it was given is unchanged (link and IPv4 addresses) and a good guest
# attaches to it at once.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24

# refused REGEX ARGS...: exit 1, one line matching REGEX (the 120 s bound
# only names a run that hangs).
refused() {
	local want=$1 st
	shift
	out=$(in_ns timeout 120 "$PETREL" "$@" 2>&1)
	st=$?
	printf '%s\n' "$out" | head -n 5
	[ $st -eq 1 ] || fail "exit status $st, expected 1 for: $*"
	expect_lines 1
	expect "^petrel: .*$want"
}

mkfifo "$TESTTMP/fifo.hvt"
refused 'fifo\.hvt: not a regular file' --mem=32 "$TESTTMP/fifo.hvt"
refused '/dev/zero: not a regular file' --mem=32 /dev/zero
for m in -1 4097 99999999999999999999999 1x 0x10; do
	refused "--mem=$m" --mem=$m "$GUESTS/hello.hvt"
done
refused 'not a valid interface name' --mem=32 --net:service0=abcdefghijklmnopq \
	"$GUESTS/net.hvt" 10.0.0.2

tap_before=$(in_ns ip -o link show tap0 | sed 's/^[0-9]*: //'; in_ns ip -o -4 addr show tap0)
img=$TESTTMP/disk.img
truncate -s 64K "$img"
# Locked by a running VM (a guest spinning with the file attached).
ip netns exec "$NS" "$PETREL" --mem=32 --net:net0=tap0 --block:disk="$img" -- \
	"$GUESTS/hostile.hvt" spin >"$TESTTMP/holder.out" 2>&1 &
holder=$!
wait_output "$TESTTMP/holder.out" 'hostile: spinning' "$holder" || fail "the holder VM did not start"
refused "--block:storage=$img: file in use" --mem=32 --block:storage="$img" "$GUESTS/blk.hvt"
# The holder dies by SIGKILL: the lock goes with it.
kill -KILL $holder
wait $holder 2>/dev/null
run_tender 0 --mem=32 --block:storage="$img" "$GUESTS/blk.hvt"
expect '^blk: PASSED$'
# Locked by another program (flock(1) holds it while sleeping; killed
# below).
flock -x "$img" sh -c 'echo locked; exec sleep 3600' >"$TESTTMP/locker.out" &
locker=$!
wait_output "$TESTTMP/locker.out" '^locked$' "$locker" || fail "flock did not take the lock"
refused "--block:storage=$img: file in use" --mem=32 --block:storage="$img" "$GUESTS/blk.hvt"
# A refused block file after the tap was opened: the tap is released.
refused 'file in use' --mem=32 --net:net0=tap0 --block:disk="$img" \
	"$GUESTS/hostile.hvt" refusals
kill $locker
wait $locker 2>/dev/null

# A file on a read-only file system (root ignores permission bits).
mkdir "$TESTTMP/ro"
mount -t tmpfs -o size=1M petrel-ro "$TESTTMP/ro" || fail "cannot mount a tmpfs"
truncate -s 64K "$TESTTMP/ro/disk.img"
mount -o remount,ro "$TESTTMP/ro" || fail "cannot remount read-only"
refused "ro/disk\\.img: cannot open for reading and writing: Read-only file system" \
	--mem=32 --block:storage="$TESTTMP/ro/disk.img" "$GUESTS/blk.hvt"
umount "$TESTTMP/ro"

tap_after=$(in_ns ip -o link show tap0 | sed 's/^[0-9]*: //'; in_ns ip -o -4 addr show tap0)
[ "$tap_before" = "$tap_after" ] || fail "tap0 changed: $tap_before -> $tap_after"
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/net.hvt" 10.0.0.2
ping_ok 10.0.0.2 3
stop_guest
