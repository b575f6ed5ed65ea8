#!/bin/bash
# Guest to host and back over petrel.ko's rings (--net-ring=on): its own
# ring (bench.hvt), with doorbell and wakeup counts, and Solo5's ring
# (bench-solo5ring.hvt, which speaks Solo5's ring protocol; run.sh checks it
# was offered the ring), with a syscall count, then the report's Solo5
# section; skipped while the tender has no ring path.
. "$(dirname "$0")/lib/smoke.sh"
"$PETREL" --help 2>&1 | grep -q -- '--net-ring' || {
	echo "SKIP: this tender has no ring path (no --net-ring option)"
	exit 4
}
# Only the runs the checks below read: each run starts a tender.
bench_run --paths ring --sizes 64 --tests g2h,echo --parts net
bench_run --paths solo5ring --sizes 64 --tests g2h,h2g,echo --parts net
bench_run --paths solo5ring --sizes 64 --tests g2h --parts syscalls
for t in g2h echo; do
	line=$(record "^R kind=net path=ring test=$t size=64 ") || fail "$line"
	positive "$line" frames exits doorbells
done
net_records solo5ring 64 exits
line=$(record "^R kind=syscalls path=solo5ring test=g2h size=64 ") || fail "$line"
positive "$line" frames
grep -qE ' syscalls=[0-9]+$' <<<"$line" || fail "no syscall count in: $line"
report_ok
grep -qE "^solo5ring g2h +64 +[0-9]+ +[0-9.]+% +[0-9.]+ " "$TESTTMP/out/results.txt" ||
	fail "no Solo5 ring row in the report's Solo5 section"
