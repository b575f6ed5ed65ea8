# shellcheck shell=bash
# The interop suite against Solo5 itself (make check-solo5; see
# mk/solo5.mk). Sourced by every script of selftests/solo5/.
#
# Tests 10-5x run a Solo5 hvt test unikernel, built by Solo5's own
# toolchain (scripts/build-solo5.sh), on petrel and judge it exactly as
# Solo5's tests/tests.bats judges solo5-hvt on Linux: same arguments, same
# status and output checks, same skips. Tests 6x-7x run petrel's own test
# guests on Solo5's solo5-hvt.
#
# PETREL_INTEROP_TENDER=solo5hvt (vm.sh --env) runs tests 10-5x on Solo5's
# solo5-hvt instead of petrel: that calibrates the suite, since Solo5's
# own tender must meet every expectation taken from tests.bats.

SOLO5_DIR=$PETREL_BUILD/solo5/src
SOLO5_HVT=$SOLO5_DIR/tenders/hvt/solo5-hvt
SOLO5_TESTS=$SOLO5_DIR/tests
# tests.bats bounds each run by 60 s on hardware; the test VM emulates
# the CPU in software, so every bound here is several times that.
RUN_TIMEOUT=400
# tests.bats's --mem; with_petrel_ko lowers it (see there).
HVT_MEM=4096
# The flood-ping cases: 100000 pings through a software-emulated CPU
# (about 90 a second measured on a loaded 2-core host: 19 min).
# shellcheck disable=SC2034 # used by the net scripts
NET_TIMEOUT=3000

fail() {
	echo "FAIL: $*"
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 4
}

[ -x "$SOLO5_HVT" ] && [ -d "$SOLO5_TESTS" ] ||
	fail "no Solo5 build in $PETREL_BUILD/solo5 (make check-solo5 SOLO5_SRC=DIR builds it)"
echo "Solo5 $(cat "$PETREL_BUILD/solo5/version" 2>/dev/null)"

case ${PETREL_INTEROP_TENDER:-petrel} in
petrel) TENDER=$PETREL ;;
solo5hvt)
	TENDER=$SOLO5_HVT
	# solo5-hvt reserves all of tests.bats's --mem=4096 up front
	# (petrel maps guest memory MAP_NORESERVE): let the test VM, with
	# less RAM than that, overcommit as a big host would allow.
	sysctl -qw vm.overcommit_memory=1 || fail "cannot set vm.overcommit_memory"
	;;
*) fail "PETREL_INTEROP_TENDER=$PETREL_INTEROP_TENDER: petrel or solo5hvt expected" ;;
esac

# hvt_run ARGS...: tests.bats's hvt_run: the tender with --mem=4096 and
# ARGS, from the tests directory; sets $status and $output and shows them.
# NETNS, when set, is the network namespace to run it in.
hvt_run() {
	local ns=()
	[ -n "${NETNS:-}" ] && ns=(ip netns exec "$NETNS")
	echo "run: ${TENDER##*/} --mem=$HVT_MEM $*"
	output=$(cd "$SOLO5_TESTS" &&
		"${ns[@]}" timeout --foreground -k 5 "$RUN_TIMEOUT" \
			"$TENDER" --mem="$HVT_MEM" "$@" 2>&1)
	status=$?
	printf '%s\n' "$output" | tail -n 60
	echo "exit status $status"
	# Judged by the test's expectations like any other status; said here
	# so that a hang is not mistaken for a wrong answer.
	[ "$status" -ne 124 ] || echo "the tender ran longer than $RUN_TIMEOUT s and was stopped"
}

# has TEXT: the output contains TEXT (a bats [[ == *TEXT* ]]).
# with_petrel_ko: load petrel.ko for this test (unloaded at exit, which
# must succeed): the tender then offers Solo5's ring, and petrel.ko, not
# a tender thread, serves it. With 512 MiB of guest memory rather than
# tests.bats's 4096: the ring area goes above --mem and the whole guest
# stays within the 4 GiB its page tables cover, so at --mem=4096 petrel
# offers no ring (it says so in one line).
with_petrel_ko() {
	HVT_MEM=512
	[ "${PETREL_INTEROP_TENDER:-petrel}" = petrel ] ||
		skip "petrel.ko serves petrel's tender only"
	[ -f "$PETREL_KO" ] || fail "no petrel.ko for this kernel at $PETREL_KO"
	modprobe tun || fail "modprobe tun"
	grep -q '^petrel ' /proc/modules || insmod "$PETREL_KO" ||
		fail "insmod $PETREL_KO"
	WITH_PETREL_KO=1
}

# hvt_run_served ARGS...: hvt_run, and meanwhile petrel.ko's counters for
# the tender's devices, sampled every half second (the last sample is in
# $TESTTMP/served: "name value" lines, device 0 then devN.name).
hvt_run_served() {
	local xfer=$PETREL_BUILD/kmod-tests/ring_xfer pid
	[ -x "$xfer" ] || fail "missing $xfer (make kmod-tests)"
	: >"$TESTTMP/served"
	(
		while :; do
			t=$(pgrep -n -f -- "${TENDER##*/} --mem=$HVT_MEM") &&
				in_netns "$xfer" stats "$t" >"$TESTTMP/served.new" 2>/dev/null &&
				mv "$TESTTMP/served.new" "$TESTTMP/served"
			sleep 0.5
		done
	) &
	pid=$!
	hvt_run "$@"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# expect_served KEY...: in the last sample, petrel.ko had moved frames for
# each counter KEY (rx_packets, dev1.tx_packets, ...).
expect_served() {
	local k v
	for k in "$@"; do
		v=$(awk -v k="$k" '$1 == k {print $2}' "$TESTTMP/served")
		[ "${v:-0}" -gt 0 ] || fail "petrel.ko's $k is ${v:-absent}: Solo5's ring was not served by petrel.ko"
		echo "petrel.ko served Solo5's ring: $k $v"
	done
}

has() {
	[[ "$output" == *"$1"* ]]
}

# tests.bats's checks, each failing the test with what was wrong.
expect_success() {
	if [ "$status" -ne 0 ] || ! has SUCCESS; then
		fail "expected exit status 0 and SUCCESS (tests.bats expect_success)"
	fi
}

expect_abort() {
	if [ "$status" -ne 255 ] || ! has ABORT; then
		fail "expected exit status 255 and ABORT (tests.bats expect_abort)"
	fi
}

# expect_error STATUS TEXT: exit status STATUS and TEXT in the output.
expect_error() {
	if [ "$status" -ne "$1" ] || ! has "$2"; then
		fail "expected exit status $1 and \"$2\""
	fi
}

skip_unless_root() {
	[ "$(id -u)" -eq 0 ] || skip "need root to run this test"
}

# skip_unless_host_is HOST...: tests.bats's skip for the hosts other than
# HOST (the suite runs on Linux).
skip_unless_host_is() {
	local h
	for h in "$@"; do
		[ "$h" = Linux ] && return 0
	done
	skip "not supported on Linux: tests.bats runs this hvt case on $* only"
}

# ---- networking, as Solo5's tests/setup-tests.sh sets it up, inside a
# network namespace of the test's own ----
net_setup() {
	NETNS=solo5-t$$
	ip netns add "$NETNS" || fail "cannot create network namespace"
	trap 'netns_cleanup' EXIT
	in_netns ip link set lo up
	in_netns ip tuntap add tap100 mode tap || fail "cannot create tap100"
	in_netns ip addr add 10.0.0.1/24 dev tap100
	in_netns ip link set dev tap100 up
	in_netns ip tuntap add tap101 mode tap || fail "cannot create tap101"
	in_netns ip addr add 10.1.0.1/24 dev tap101
	in_netns ip link set dev tap101 up
	in_netns ip tuntap add tap102 mode tap || fail "cannot create tap102"
	in_netns ip link set dev tap102 up mtu 9000
}

PING_PIDS=()
netns_cleanup() {
	local st=$? p
	for p in "${PING_PIDS[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	ip netns del "$NETNS" 2>/dev/null
	if [ -n "${WITH_PETREL_KO:-}" ] && ! rmmod petrel; then
		echo "FAIL: rmmod petrel: something still holds the module"
		exit 1
	fi
	exit $st
}

in_netns() {
	ip netns exec "$NETNS" "$@"
}

# flood_ping ADDR COUNT [PING ARGS...]: tests.bats's background
# "( sleep 1; timeout 60s ping -fq -c COUNT ADDR )", with the bound
# raised like the tender's (SIGINT: ping still prints its summary), kept
# in $TESTTMP/ping-ADDR.
flood_ping() {
	local addr=$1 count=$2
	shift 2
	(sleep 1; in_netns timeout -s INT "$RUN_TIMEOUT" ping -fq -c "$count" "$@" "$addr") \
		>"$TESTTMP/ping-$addr" 2>&1 &
	PING_PIDS+=($!)
}

# ping_summary: what each flood ping printed (for the log).
ping_summary() {
	local f
	for f in "$TESTTMP"/ping-*; do
		[ -e "$f" ] || continue
		echo "${f##*/}: $(grep -E 'transmitted|rtt' "$f" | tr '\n' ' ')"
	done
}

# ---- petrel's test guests on Solo5's solo5-hvt (tests 6x-7x) ----
# The kvm suite's helpers, with the tender they run set to solo5-hvt:
# run_tender, expect, start_guest, ... then judge a petrel guest on Solo5's
# tender exactly as the kvm suite judges it on petrel.
on_solo5_hvt() {
	# shellcheck source=../../kvm/lib/guest.sh
	. "$PETREL_SRC/selftests/kvm/lib/guest.sh"
	PETREL=$SOLO5_HVT
}

# on_solo5_hvt_net: also the kvm suite's network fixtures, without the
# petrel-only --net-ring option.
on_solo5_hvt_net() {
	on_solo5_hvt
	# shellcheck source=../../kvm/lib/net.sh
	. "$PETREL_SRC/selftests/kvm/lib/net.sh"
	PETREL_OPTS=()
}
