#!/bin/bash
# What a frame costs the host, rings versus hypercalls, in one boot: the
# same transfer (xfer.hvt, PETREL_COST_FRAMES frames each way, default
# 1000, as strace slows the hypercall path a lot) with --net-ring=off and --net-ring=on, each under strace -c -f.
# Reports tender syscalls and exits to userspace (one KVM_RUN ioctl
# returns per exit) per frame, and KVM's in-kernel exit count (doorbells
# included) when debugfs has it. A report, not a benchmark: the only
# check is that each transfer completed (in ring mode any tap read or
# write would have been killed by the seccomp filter).
. "$(dirname "$0")/lib/guest.sh"
NET_RING=on
. "$(dirname "$0")/lib/net.sh"
N=${PETREL_COST_FRAMES:-1000}
XFER=$PETREL_BUILD/kmod-tests/ring_xfer
command -v strace >/dev/null || { echo "SKIP: no strace"; exit 4; }
add_tap tap0 10.0.0.1/24
in_ns sysctl -qw net.ipv6.conf.tap0.disable_ipv6=1
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug 2>/dev/null

kvm_exits() {	# PID: KVM's exit counters of that tender's VM, or n/a
	local d
	for d in /sys/kernel/debug/kvm/"$1"-*; do
		[ -r "$d/exits" ] && { echo "$(cat "$d/exits") (io $(cat "$d/io_exits"))"; return; }
	done
	echo n/a
}

run() {	# MODE: one transfer under strace; prints the per-frame costs
	local mode=$1 tp pid st
	ip netns exec "$NS" strace -f -c -o "$TESTTMP/strace.$mode" \
		"$PETREL" --net-ring="$mode" --mem=32 --net:service0=tap0 \
		-- "$GUESTS/xfer.hvt" "$N" >"$TESTTMP/guest.out" 2>&1 &
	tp=$!
	wait_output "$TESTTMP/guest.out" "^xfer: sent $N\$" "$tp" || { cat "$TESTTMP/guest.out"; fail "$mode: guest did not send"; }
	pid=$(pgrep -P "$tp" -x petrel)
	if [ "$mode" = on ]; then
		in_ns "$XFER" send tap0 "$N" "$pid" 256 >/dev/null || fail "send"
	else
		in_ns "$XFER" send tap0 "$N" 0 64 >/dev/null || fail "send"
	fi
	wait_output "$TESTTMP/guest.out" "test $N," "$tp"
	st=$(kvm_exits "$pid")
	kill "$pid"; wait "$tp"
	grep -q "test $N," "$TESTTMP/guest.out" || { tail -n 3 "$TESTTMP/guest.out"; fail "$mode: guest received less"; }
	python3 - "$TESTTMP/strace.$mode" "$mode" "$N" "$st" <<'PY'
import sys
path, mode, n, kvm = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
calls = {}
for line in open(path):
    f = line.split()
    if len(f) >= 5 and f[0][0].isdigit() and f[-1] != "total":
        calls[f[-1]] = int(f[3])
frames = 2 * n
total = sum(calls.values())
print("%-4s %d frames: %d tender syscalls (%.3f/frame), KVM_RUN+ioctls %d "
      "(%.3f/frame: exits to userspace), in-kernel exits %s; by call: %s" % (
      mode, frames, total, total / frames, calls.get("ioctl", 0),
      calls.get("ioctl", 0) / frames, kvm,
      " ".join("%s=%d" % kv for kv in sorted(calls.items()))))
PY
}
run off
run on
