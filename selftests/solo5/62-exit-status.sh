#!/bin/bash
# petrel's exitstatus.hvt on solo5-hvt: the guest's exit status is the tender's.
# timeout: 120
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt
for s in 0 1 2 42 254; do
	run_tender "$s" --mem=32 "$GUESTS/exitstatus.hvt" "$s"
done
