#!/bin/bash
# A unikernel that writes petrel.ko's rings itself (guests/ringabuse.c),
# one case per run, each on a fresh VM:
#   tx-bad   descriptors outside the buffer area, wrapping, with flags, of
#            lengths 0, 13, 65536 and 2^32-1, and two good frames;
#   rx-bad   RX buffers outside the area, wrapping, huge, with flags, two
#            good ones and one too small for the host's frames;
#   indices  producers ring_size+1 ahead, one behind, 2^31 ahead, on TX
#            and RX, and a consumer index scribbled over by the guest.
# Every descriptor lands in exactly the counter the guest expects, no
# other drop counter moves, the guest finds what came back and nothing
# else changed, only good frames reach the tap, and the tender lives on.
. "$(dirname "$0")/lib/guest.sh"
NET_RING=on
. "$(dirname "$0")/lib/net.sh"
XFER=$PETREL_BUILD/kmod-tests/ring_xfer
FRAMES=$(dirname "$0")/lib/tapframes.py
mac=02:00:00:00:00:02
DROPS="tx_drop_bad_desc tx_drop_too_big tx_drop_too_small tx_drop_tap
rx_drop_bad_desc rx_drop_too_big rx_drop_no_buffer ring_errors"

# No IPv6: the host's own router solicitations would take RX buffers.
no_ipv6
add_tap tap0 10.0.0.1/24

stat_of() { awk -v k="$1" '$1 == k {print $2}' "$TESTTMP/mod"; }
tap_rx() { in_ns cat /sys/class/net/tap0/statistics/rx_packets; }

# run_case CASE READY: start the guest with CASE, wait for READY.
run_case() {
	GUEST_READY=$2 start_guest --mem=32 --net:service0=tap0 \
		--net-mac:service0=$mac -- "$GUESTS/ringabuse.hvt" "$1"
	wait_carrier tap0
}

# wait_line REGEX: up to 60 s for the guest to print a line matching REGEX.
wait_line() {
	wait_output "$TESTTMP/guest.out" "$1" "$TENDER_PID" && return 0
	sed 's/^/guest: /' "$TESTTMP/guest.out"
	fail "the guest never printed: $1"
}

# finish CASE [COUNTER=VALUE...]: the guest passed its own checks; every
# "expect NAME VALUE" it printed, and every COUNTER=VALUE given, matches
# petrel.ko's counter; every other drop counter is 0; the tender is alive;
# after it is stopped the module holds no VM.
finish() {
	local c=$1 k v want
	shift
	wait_line 'ringabuse: (done|FAILED)'
	grep -q 'ringabuse: done' "$TESTTMP/guest.out" ||
		{ sed 's/^/guest: /' "$TESTTMP/guest.out"; fail "$c: the guest's checks failed"; }
	kill -0 "$TENDER_PID" || fail "$c: the tender died"
	echo "$c: checks passed in the guest: $(grep -c '^ok: ' "$TESTTMP/guest.out")"
	in_ns "$XFER" stats "$TENDER_PID" >"$TESTTMP/mod"
	declare -A want=()
	while read -r _ k v; do want[$k]=$v; done < <(grep '^expect ' "$TESTTMP/guest.out")
	for kv in "$@"; do want[${kv%%=*}]=${kv#*=}; done
	for k in $DROPS; do [ -n "${want[$k]:-}" ] || want[$k]=0; done
	for k in "${!want[@]}"; do
		[ "$(stat_of "$k")" = "${want[$k]}" ] ||
			fail "$c: $k = $(stat_of "$k"), expected ${want[$k]}"
	done
	echo "$c: $(for k in $(printf '%s\n' "${!want[@]}" | sort); do printf '%s=%s ' "$k" "${want[$k]}"; done)as expected"
	stop_guest >/dev/null
	[ "$(in_ns "$XFER" count)" = 0 ] || fail "$c: petrel.ko still has a VM"
}

rx0=$(tap_rx)
run_case tx-bad 'ringabuse: (done|FAILED)'
finish tx-bad
[ $(($(tap_rx) - rx0)) = 2 ] || fail "tx-bad: the tap got $(($(tap_rx) - rx0)) frames, expected the 2 good ones"
echo "tx-bad: the tap got exactly the 2 good frames"

run_case rx-bad 'rx-bad: posted'
in_ns python3 "$FRAMES" send tap0 $mac 0 1
wait_line 'rx-bad: checked'
in_ns python3 "$FRAMES" send tap0 $mac 2 3 4
too_big_3() {
	in_ns "$XFER" stats "$TENDER_PID" >"$TESTTMP/mod"
	[ "$(stat_of rx_drop_too_big)" -ge 3 ]
}
wait_until "petrel.ko to drop the 3 frames too big for the buffers" too_big_3
finish rx-bad rx_drop_too_big=3

run_case indices 'ringabuse: (done|FAILED)'
finish indices
