#!/bin/bash
# timeout: 150
# SIGTERM (how albatross stops a guest), SIGINT and SIGHUP stop the tender
# as solo5-hvt does: one line "petrel: exiting on signal N (SIGNAME)" and
# exit status 1, whether the guest is waiting in POLL (net.hvt, idle) or
# running without exits (hostile.hvt spin, inside KVM_RUN). The tap is
# released: a new guest attaches to it at once.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24
truncate -s 64K "$TESTTMP/disk.img"

# stopped SIGNAME NUMBER READY ARGS...: start the tender, wait for READY,
# send SIGNAME, expect status 1 and the line as the last output.
stopped() {
	local sig=$1 num=$2 ready=$3 pid st last
	shift 3
	ip netns exec "$NS" "$PETREL" "${PETREL_OPTS[@]}" "$@" \
		>"$TESTTMP/sig.out" 2>&1 &
	pid=$!
	wait_output "$TESTTMP/sig.out" "$ready" "$pid" ||
		{ cat "$TESTTMP/sig.out"; fail "SIG$sig: guest did not start"; }
	kill -s "$sig" "$pid"
	wait "$pid"
	st=$?
	sed 's/^/  /' "$TESTTMP/sig.out"
	[ $st -eq 1 ] || fail "SIG$sig: exit status $st, expected 1"
	last=$(tail -n 1 "$TESTTMP/sig.out")
	[ "$last" = "petrel: exiting on signal $num (SIG$sig)" ] ||
		fail "SIG$sig: last line '$last'"
	[ "$(grep -c '^petrel:' "$TESTTMP/sig.out")" -eq 1 ] ||
		fail "SIG$sig: more than one petrel line"
	echo "SIG$sig: status 1, '$last'"
}

for s in "TERM 15" "INT 2" "HUP 1"; do
	# shellcheck disable=SC2086 # name and number
	stopped $s 'net: ready' --mem=32 --net:service0=tap0 -- \
		"$GUESTS/net.hvt" 10.0.0.2
done
stopped TERM 15 'hostile: spinning' --mem=32 --net:net0=tap0 \
	--block:disk="$TESTTMP/disk.img" -- "$GUESTS/hostile.hvt" spin
# The tap and the block file were released with the tender.
start_guest --mem=32 --net:service0=tap0 -- "$GUESTS/net.hvt" 10.0.0.2
wait_carrier tap0
ping_ok 10.0.0.2 3
stop_guest
run_tender 0 --mem=32 --block:storage="$TESTTMP/disk.img" -- "$GUESTS/blk.hvt"
