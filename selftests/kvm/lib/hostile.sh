# shellcheck shell=bash
# Running the hostile guest (selftests/guests/hostile.c) one case at a time
# on tap0 and a scratch block file. Needs guest.sh and net.sh sourced.

add_tap tap0 10.0.0.1/24
truncate -s 64K "$TESTTMP/disk.img"

# Every hypercall, as hostile.c names it and the tender reports it.
# shellcheck disable=SC2034 # read by the scripts that source this
HOSTILE_HYPERCALLS="walltime:WALLTIME puts:PUTS poll:POLL block-write:BLOCK_WRITE
block-read:BLOCK_READ net-write:NET_WRITE net-read:NET_READ halt:HALT"

# hostile WANT_REGEX CASE: one run of CASE stops with exit status 1 and
# prints exactly one line, which matches "petrel: guest fault: WANT_REGEX".
# A case takes a few seconds under TCG; the 120 s bound only names a case
# that hangs (status 124). The net device is on the hypercalls, as
# net.sh's PETREL_OPTS says (--net-ring=auto would add its line saying so).
hostile() {
	local want=$1 case=$2 st t0=$SECONDS
	out=$(in_ns timeout 120 "$PETREL" "${PETREL_OPTS[@]}" --mem=32 --net:net0=tap0 \
		--block:disk="$TESTTMP/disk.img" -- "$GUESTS/hostile.hvt" "$case" 2>&1)
	st=$?
	printf '%s (%d s): %s\n' "$case" $((SECONDS - t0)) "$out" | head -n 5
	[ $st -eq 1 ] || fail "$case: exit status $st, expected 1"
	expect_lines 1
	expect "^petrel: guest fault: $want"
}

# no_frames_out: nothing the hostile guests did reached tap0 (its rx
# counter counts the frames the tender wrote into it).
no_frames_out() {
	local rx
	rx=$(in_ns cat /sys/class/net/tap0/statistics/rx_packets)
	[ "$rx" -eq 0 ] || fail "$rx frames reached tap0 from hostile guests"
}
