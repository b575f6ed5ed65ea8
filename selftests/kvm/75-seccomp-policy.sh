#!/bin/bash
# timeout: 120
# The seccomp policy of the hypercall mode, proven on real runs:
# --print-policy for a guest with a tap and a block file (--block-sync)
# lists exactly the rules documented in tender/seccomp-policy.txt (fd
# numbers and the capacity normalised), and the BPF filter a running
# tender has loaded (read back with PTRACE_SECCOMP_GET_FILTER; exactly
# one filter) is instruction for instruction the one the policy code
# builds for that tender's fds, with devices and without. With petrel.ko,
# the filter printed for a guest that takes the rings is exactly
# tender/seccomp-policy-rings.txt: no tap rule at all. That any other
# syscall or argument kills the process is tested on the same filter in
# selftests/unit/test_seccomp.c.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
DUMP=$PETREL_BUILD/kvm-tests/seccomp-dump
[ -x "$DUMP" ] || fail "$DUMP missing (run make)"
add_tap tap0 10.0.0.1/24
img=$TESTTMP/disk.img
truncate -s 64K "$img"
dev_args=(--mem=32 --block-sync --net:net0=tap0 --block:disk="$img" -- "$GUESTS/hostile.hvt")

normalise() {
	sed -E 's/== [0-9]+ \((vcpu fd|tap fd|block fd|KVM stats fd|wake eventfd)\)/== <\1> (\1)/g
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
loaded_is_expected() {
	local name=$1 pid
	shift
	ip netns exec "$NS" "$PETREL" "$@" >"$TESTTMP/run.out" 2>&1 &
	pid=$!
	for _ in $(seq 300); do
		grep -q 'spinning' "$TESTTMP/run.out" && break
		sleep 0.1
	done
	grep -q 'spinning' "$TESTTMP/run.out" || { cat "$TESTTMP/run.out"; fail "$name: guest did not start"; }
	grep -q '^Seccomp:[[:space:]]*2' "/proc/$pid/status" || fail "$name: not in seccomp filter mode"
	"$DUMP" expected $pid >"$TESTTMP/expected" || fail "$name: cannot build the expected filter"
	"$DUMP" loaded $pid >"$TESTTMP/loaded" || fail "$name: cannot read the loaded filter"
	kill -KILL $pid
	wait $pid 2>/dev/null
	diff "$TESTTMP/expected" "$TESTTMP/loaded" >"$TESTTMP/diff" ||
		{ head -n 20 "$TESTTMP/diff"; fail "$name: loaded filter differs from the policy"; }
	echo "$name: loaded filter = policy ($(wc -l <"$TESTTMP/loaded") BPF instructions)"
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
