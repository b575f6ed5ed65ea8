#!/bin/bash
# timeout: 300
# The seccomp policy of the hypercall mode, proven on real runs:
# --print-policy for a guest with a tap and a block file (--block-sync)
# lists exactly the rules documented in tender/seccomp-policy.txt (fd
# numbers and the capacity normalised), and the BPF filter a running
# tender has loaded (read back with PTRACE_SECCOMP_GET_FILTER; exactly
# one filter) is instruction for instruction the one the policy code
# builds for that tender's fds, with devices and without. With petrel.ko,
# the filter printed for a guest that takes the rings is exactly
# tender/seccomp-policy-rings.txt (no tap rule at all), and the one armed
# before the guest runs, while it chooses, is exactly
# tender/seccomp-policy-choosing.txt. A running tender whose guest took
# the rings has exactly two filters loaded: the choosing one, and the
# ring one stacked on it at the first exit; one whose guest declined them
# has the choosing one and the hypercall one (with what the first kick of
# Solo5's ring needs, seccomp-policy-declined.txt), and one whose guest
# then kicks Solo5's ring the hvt one on top (seccomp-policy-hvt.txt).
# That any other syscall or
# argument kills the process, alone and stacked, is tested on the same
# filters in selftests/unit/test_seccomp.c.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
DUMP=$PETREL_BUILD/kvm-tests/seccomp-dump
[ -x "$DUMP" ] || fail "$DUMP missing (run make)"
add_tap tap0 10.0.0.1/24
img=$TESTTMP/disk.img
truncate -s 64K "$img"
dev_args=(--mem=32 --block-sync --net:net0=tap0 --block:disk="$img" -- "$GUESTS/hostile.hvt")

normalise() {
	sed -E 's/== [0-9]+ \((vcpu fd|vm fd|petrel fd|tap fd|block fd|KVM stats fd|wake eventfd|kick eventfd|Solo5 ring kick eventfd)\)/== <\1> (\1)/g
		s/<= [0-9]+ \(capacity\)/<= <capacity> (capacity)/g' | grep -v '^#'
}
in_ns "$PETREL" --print-policy "${dev_args[@]}" spin >"$TESTTMP/printed" 2>&1 ||
	{ cat "$TESTTMP/printed"; fail "--print-policy failed"; }
normalise <"$TESTTMP/printed" >"$TESTTMP/policy"
grep -v '^#' "$PETREL_SRC/tender/seccomp-policy.txt" >"$TESTTMP/documented"
diff -u "$TESTTMP/documented" "$TESTTMP/policy" ||
	fail "--print-policy differs from tender/seccomp-policy.txt"
echo "--print-policy: $(grep -c '^allow' "$TESTTMP/policy") rules, as documented"

# loaded_is_expected NAME ARGS...: run a spinning guest, compare filters.
# FILTERS (default: one filter, hypercall mode) lists the filters the
# tender must have loaded, in the order it loaded them (the order of
# PTRACE_SECCOMP_GET_FILTER's index), as seccomp-dump modes.
loaded_is_expected() {
	local name=$1 pid i mode
	shift
	local filters
	read -r -a filters <<<"${FILTERS:-hypercalls}"
	ip netns exec "$NS" "$PETREL" "$@" >"$TESTTMP/run.out" 2>&1 &
	pid=$!
	wait_output "$TESTTMP/run.out" 'spinning' "$pid" || { cat "$TESTTMP/run.out"; fail "$name: guest did not start"; }
	grep -q '^Seccomp:[[:space:]]*2' "/proc/$pid/status" || fail "$name: not in seccomp filter mode"
	if [ ${#filters[@]} = 1 ]; then
		"$DUMP" expected $pid "${filters[0]}" >"$TESTTMP/expected0" ||
			fail "$name: cannot build the expected filter"
		"$DUMP" loaded $pid >"$TESTTMP/loaded0" ||
			fail "$name: cannot read the loaded filter (or not exactly one)"
	else
		for i in "${!filters[@]}"; do
			mode=${filters[i]}
			"$DUMP" loaded $pid "$i" >"$TESTTMP/loaded$i" ||
				fail "$name: cannot read loaded filter $i"
			"$DUMP" expected $pid "$mode" >"$TESTTMP/expected$i" ||
				fail "$name: cannot build the expected $mode filter"
		done
		! "$DUMP" loaded $pid ${#filters[@]} >/dev/null 2>&1 ||
			fail "$name: more than ${#filters[@]} filters loaded"
	fi
	kill -KILL $pid
	wait $pid 2>/dev/null
	for i in "${!filters[@]}"; do
		diff "$TESTTMP/expected$i" "$TESTTMP/loaded$i" >"$TESTTMP/diff" ||
			{ head -n 20 "$TESTTMP/diff"; fail "$name: loaded filter $i differs from the ${filters[i]} policy"; }
		echo "$name: loaded filter $i = ${filters[i]} policy ($(wc -l <"$TESTTMP/loaded$i") BPF instructions)"
	done
}
loaded_is_expected "tap + block + --block-sync" "${dev_args[@]}" spin
loaded_is_expected "tap + block" --mem=32 --net:net0=tap0 --block:disk="$img" -- \
	"$GUESTS/hostile.hvt" spin

# Ring mode: the module loaded, the filter for a guest that takes the rings.
ring_load
NET_RING=on	# net_cleanup unloads it
in_ns "$PETREL" --net-ring=on --print-policy "${dev_args[@]}" spin \
	>"$TESTTMP/printed-rings" 2>&1 ||
	{ cat "$TESTTMP/printed-rings"; fail "--net-ring=on --print-policy failed"; }
sed -n '/accepts the net rings/,/declines them/p' "$TESTTMP/printed-rings" |
	normalise >"$TESTTMP/policy-rings"
grep -v '^#' "$PETREL_SRC/tender/seccomp-policy-rings.txt" >"$TESTTMP/documented-rings"
diff -u "$TESTTMP/documented-rings" "$TESTTMP/policy-rings" ||
	fail "ring-mode --print-policy differs from tender/seccomp-policy-rings.txt"
echo "ring mode --print-policy: $(grep -c '^allow' "$TESTTMP/policy-rings") rules, as documented"
sed -n '/while it chooses/,/accepts the net rings/p' "$TESTTMP/printed-rings" |
	normalise >"$TESTTMP/policy-choosing"
grep -v '^#' "$PETREL_SRC/tender/seccomp-policy-choosing.txt" >"$TESTTMP/documented-choosing"
diff -u "$TESTTMP/documented-choosing" "$TESTTMP/policy-choosing" ||
	fail "--print-policy before the first exit differs from tender/seccomp-policy-choosing.txt"
echo "rings offered, guest choosing: $(grep -c '^allow' "$TESTTMP/policy-choosing") rules, as documented"
# Both rings offered, petrel's declined; then Solo5's kicked.
sed -n '/declines them/,/kicks Solo5/p' "$TESTTMP/printed-rings" |
	normalise >"$TESTTMP/policy-declined"
grep -v '^#' "$PETREL_SRC/tender/seccomp-policy-declined.txt" >"$TESTTMP/documented-declined"
diff -u "$TESTTMP/documented-declined" "$TESTTMP/policy-declined" ||
	fail "--print-policy for declined rings differs from tender/seccomp-policy-declined.txt"
echo "petrel's rings declined: $(grep -c '^allow' "$TESTTMP/policy-declined") rules, as documented"
sed -n '/kicks Solo5/,$p' "$TESTTMP/printed-rings" | normalise >"$TESTTMP/policy-hvt"
grep -v '^#' "$PETREL_SRC/tender/seccomp-policy-hvt.txt" >"$TESTTMP/documented-hvt"
diff -u "$TESTTMP/documented-hvt" "$TESTTMP/policy-hvt" ||
	fail "--print-policy for Solo5's ring differs from tender/seccomp-policy-hvt.txt"
echo "Solo5's ring kicked: $(grep -c '^allow' "$TESTTMP/policy-hvt") rules, as documented"
grep -E '^allow (read|write) .*\(tap fd\)' "$TESTTMP/policy-hvt" &&
	fail "Solo5's ring mode lets the tender read or write a tap"

# Live: the guest takes the rings (hostile.hvt's bindings do), or declines
# them (net-noring.hvt); either way two filters, the choosing one first.
FILTERS="choosing rings" loaded_is_expected "rings taken" --net-ring=on "${dev_args[@]}" spin
add_tap tap1 10.0.1.1/24
ip netns exec "$NS" "$PETREL" --net-ring=on --mem=32 --net:service0=tap1 -- \
	"$GUESTS/net-noring.hvt" 10.0.1.2 >"$TESTTMP/noring.out" 2>&1 &
pid=$!
wait_output "$TESTTMP/noring.out" 'net: ready' "$pid" || { cat "$TESTTMP/noring.out"; fail "net-noring did not start"; }
"$DUMP" expected $pid hypercalls >"$TESTTMP/expected-noring" || fail "rings declined: cannot build the expected filter"
"$DUMP" loaded $pid 0 >/dev/null || fail "rings declined: no choosing filter under the hypercall one"
"$DUMP" loaded $pid 1 >"$TESTTMP/loaded-noring" || fail "rings declined: cannot read filter 1"
! "$DUMP" loaded $pid 2 >/dev/null 2>&1 || fail "rings declined: more than 2 filters"
kill -KILL $pid
wait $pid 2>/dev/null
diff "$TESTTMP/expected-noring" "$TESTTMP/loaded-noring" >/dev/null ||
	fail "rings declined: loaded filter 1 differs from the hypercall policy"
echo "rings declined: loaded filter 1 = hypercalls policy ($(wc -l <"$TESTTMP/loaded-noring") BPF instructions), on the choosing filter"

# Live, a guest of Solo5's ring protocol: it declines petrel's rings at
# its first exit (the hypercall filter, with the switch, stacked), then
# kicks Solo5's ring (the hvt filter stacked on that): three filters.
add_tap tap2 10.0.2.1/24
ip netns exec "$NS" "$PETREL" --net-ring=on --mem=32 --net:service0=tap2 -- \
	"$GUESTS/solo5ring.hvt" 10.0.2.2 >"$TESTTMP/hvt.out" 2>&1 &
pid=$!
wait_output "$TESTTMP/hvt.out" 'net: ready' "$pid" || { cat "$TESTTMP/hvt.out"; fail "solo5ring did not start"; }
# Its first frames go out on the ring (ARP, gratuitous or not): ping it
# so that it surely has kicked.
ping_ok 10.0.2.2 3
grep -q 'net on the ring' "$TESTTMP/hvt.out" || { cat "$TESTTMP/hvt.out"; fail "solo5ring is not on Solo5's ring"; }
"$DUMP" expected $pid hypercalls >"$TESTTMP/expected-hvt1" || fail "Solo5 ring: cannot build the expected hypercall filter"
"$DUMP" expected $pid hvt >"$TESTTMP/expected-hvt2" || fail "Solo5 ring: cannot build the expected hvt filter"
"$DUMP" loaded $pid 1 >"$TESTTMP/loaded-hvt1" || fail "Solo5 ring: cannot read filter 1"
"$DUMP" loaded $pid 2 >"$TESTTMP/loaded-hvt2" || fail "Solo5 ring: cannot read filter 2"
! "$DUMP" loaded $pid 3 >/dev/null 2>&1 || fail "Solo5 ring: more than 3 filters"
kill -KILL $pid
wait $pid 2>/dev/null
diff "$TESTTMP/expected-hvt1" "$TESTTMP/loaded-hvt1" >/dev/null ||
	fail "Solo5 ring: loaded filter 1 differs from the hypercall policy"
diff "$TESTTMP/expected-hvt2" "$TESTTMP/loaded-hvt2" >/dev/null ||
	fail "Solo5 ring: loaded filter 2 differs from the hvt policy"
echo "Solo5 ring kicked: filters 1 and 2 = hypercalls and hvt policies ($(wc -l <"$TESTTMP/loaded-hvt2") BPF instructions in the last)"
