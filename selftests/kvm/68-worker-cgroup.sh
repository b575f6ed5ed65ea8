#!/bin/bash
# timeout: 300
# petrel.ko's work is the tender's, on either ring it serves: two guests
# flood Solo5's ring (valid and invalid entries alternating, never
# yielding) and a third petrel's own TX ring (petrelflood.hvt: valid and
# invalid descriptors, a doorbell each turn) for 10 s, from tenders in one
# cgroup limited to 10% of a CPU (cpu.max 10000 100000), while a fourth
# guest, on Solo5's ring in a cgroup of its own, answers pings.
#   - each flooding tender's "petrel-worker" thread (the one it lends to
#     petrel.ko) is in the limited cgroup and has used CPU time: the
#     module's work is charged there, not to a kworker;
#   - the cgroup was throttled and used at most its limit over the flood
#     (a busy machine can only lower that);
#   - petrel.ko counted exactly the valid frames sent and the invalid
#     entries dropped by each guest;
#   - the neighbour answered every ping throughout.
# The usage against the limit, each worker's CPU time, the floods' shares
# and the neighbour's round trips are printed, not judged: they are
# timings.
. "$(dirname "$0")/lib/guest.sh"
NET_RING=on
. "$(dirname "$0")/lib/net.sh"
XFER=$PETREL_BUILD/kmod-tests/ring_xfer
SECS=10

CG=/sys/fs/cgroup
# By mount point and type: the device field is whatever the mounter said.
if ! awk -v d="$CG" '$2 == d && $3 == "cgroup2" { f = 1 } END { exit !f }' /proc/mounts; then
	mount -t cgroup2 none "$CG" || fail "cannot mount cgroup2 on $CG"
fi
grep -qw cpu "$CG/cgroup.controllers" || fail "no cpu controller in cgroup2"
echo +cpu >"$CG/cgroup.subtree_control" || fail "cannot enable the cpu controller"
limited=$CG/petrel-t$$-limited free=$CG/petrel-t$$-free
mkdir "$limited" "$free" || fail "cannot create cgroups"
echo "10000 100000" >"$limited/cpu.max"
# The tenders go first: a cgroup with a process in it cannot be removed.
cleanup_cgroups() {
	local st=$? p
	for p in "${EXTRA_PIDS[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	EXTRA_PIDS=()
	rmdir "$limited" "$free" 2>/dev/null
	(exit $st)
	net_cleanup
}
trap cleanup_cgroups EXIT

# in_cgroup DIR OUT ARGS...: a tender in the namespace, in cgroup DIR from
# its first instruction; its pid in $! (sh execs ip, ip execs petrel).
in_cgroup() {
	local dir=$1 out=$2
	shift 2
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$dir" \
		ip netns exec "$NS" "$PETREL" --net-ring=on "$@" >"$out" 2>&1 &
}

stat_of() { awk -v k="$2" '$1 == k {print $2}' "$1/cpu.stat"; }
# worker_tid PID: the thread the tender lent to petrel.ko.
worker_tid() {
	local t
	for t in /proc/"$1"/task/*; do
		[ "$(cat "$t/comm" 2>/dev/null)" = petrel-worker ] &&
			{ basename "$t"; return 0; }
	done
	return 1
}
# cpu_ticks PID TID: utime + stime of one thread, in clock ticks.
cpu_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/task/$2/stat"
}

no_ipv6
add_tap tap0 10.0.0.1/24
add_tap tap1 10.0.1.1/24
add_tap tap2 10.0.2.1/24
add_tap tap3 10.0.3.1/24
in_cgroup "$free" "$TESTTMP/echo.out" --mem=32 --net:service0=tap2 -- \
	"$GUESTS/solo5ring.hvt" 10.0.2.2
echo_pid=$!
EXTRA_PIDS+=("$echo_pid")
wait_output "$TESTTMP/echo.out" 'net: ready' "$echo_pid" ||
	{ cat "$TESTTMP/echo.out"; fail "the echo guest did not come up"; }
ping_ok 10.0.2.2 3

u0=$(stat_of "$limited" usage_usec) th0=$(stat_of "$limited" nr_throttled)
t0=$(date +%s.%N)
# Flood i: its guest, which prints "<guest>: valid V invalid I", on tap i
# (tap2 is the neighbour's).
flooder=(solo5flood solo5flood petrelflood)
ftap=(tap0 tap1 tap3)
pids=()
for i in 0 1 2; do
	in_cgroup "$limited" "$TESTTMP/flood$i.out" --mem=32 \
		--net:service0=${ftap[i]} -- "$GUESTS/${flooder[i]}.hvt" "$SECS"
	pids+=($!)
	EXTRA_PIDS+=($!)
done
# The neighbour answers throughout the floods.
in_ns python3 "$ICMP_ECHO" 10.0.2.2 40 0.2 >"$TESTTMP/ping" 2>&1 ||
	{ cat "$TESTTMP/ping"; fail "the neighbour stopped answering during the floods"; }
for i in 0 1 2; do
	g=${flooder[i]}
	wait_output "$TESTTMP/flood$i.out" "$g: (done|FAILED)" "${pids[i]}" ||
		{ cat "$TESTTMP/flood$i.out"; fail "flood $i: the tender exited"; }
	grep -q "$g: done" "$TESTTMP/flood$i.out" ||
		{ cat "$TESTTMP/flood$i.out"; fail "flood $i failed"; }
done
t1=$(date +%s.%N)
u1=$(stat_of "$limited" usage_usec) th1=$(stat_of "$limited" nr_throttled)

total=0
for i in 0 1 2; do
	p=${pids[i]} g=${flooder[i]}
	tid=$(worker_tid "$p") || fail "flood $i: no petrel-worker thread in tender $p"
	cg=$(cut -d: -f3 "/proc/$p/task/$tid/cgroup")
	[ "$CG$cg" = "$limited" ] || fail "flood $i: the worker is in $cg, not in ${limited#"$CG"}"
	ticks=$(cpu_ticks "$p" "$tid")
	[ "$ticks" -gt 0 ] || fail "flood $i: the worker used no CPU time"
	read -r valid invalid < <(sed -nE "s/^$g: valid ([0-9]+) invalid ([0-9]+)\$/\\1 \\2/p" "$TESTTMP/flood$i.out")
	in_ns "$XFER" stats "$p" >"$TESTTMP/mod$i" || fail "flood $i: no counters"
	m() { awk -v k="$1" '$1 == k {print $2}' "$TESTTMP/mod$i"; }
	[ "$(m tx_packets)" = "$valid" ] ||
		fail "flood $i: petrel.ko sent $(m tx_packets) frames, the guest $valid"
	[ "$(m tx_drop_bad_desc)" = "$invalid" ] ||
		fail "flood $i: petrel.ko dropped $(m tx_drop_bad_desc) entries as bad, the guest wrote $invalid"
	echo "flood $i ($g): $valid valid + $invalid invalid, worker thread $tid in ${cg}: $ticks ticks of CPU"
	total=$((total + valid))
	eval "valid$i=$valid"
done
[ "$th1" -gt "$th0" ] || fail "the limited cgroup was never throttled"
awk -v u="$((u1 - u0))" -v a="$t0" -v b="$t1" 'BEGIN {
	lim = (b - a) * 1e6 * 0.10
	printf "limited cgroup: %.0f ms of CPU over %.1f s, limit %.0f ms (%.0f%%)\n",
		u / 1e3, b - a, lim / 1e3, 100 * u / lim
	# CFS bandwidth may run over by one period per CPU; nothing more.
	exit !(u <= lim + 2 * 100000)
}' || fail "the limited cgroup used more than its cpu.max"
echo "shares of the floods' valid frames: $((100 * valid0 / total))% / $((100 * valid1 / total))% / $((100 * valid2 / total))%"
sed -n 's/^/neighbour: /p' "$TESTTMP/ping" | tail -n 3
