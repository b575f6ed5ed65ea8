#!/bin/bash
# Guest to host and back over petrel.ko's rings (--net-ring=on), with
# doorbell and wakeup counts; skipped while the tender has no ring path.
. "$(dirname "$0")/lib/smoke.sh"
"$PETREL" --help 2>&1 | grep -q -- '--net-ring' || {
	echo "SKIP: this tender has no ring path (no --net-ring option)"
	exit 4
}
bench_run --paths ring --sizes 64 --tests g2h,echo --parts net
for t in g2h echo; do
	line=$(record "^R kind=net path=ring test=$t size=64 ") || fail "$line"
	positive "$line" frames exits doorbells
done
