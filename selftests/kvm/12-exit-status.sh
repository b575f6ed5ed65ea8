#!/bin/bash
# The guest's exit status becomes the tender's, whatever it is.
. "$(dirname "$0")/lib/guest.sh"
for s in 0 1 2 42 254; do
	run_tender "$s" --mem=32 "$GUESTS/exitstatus.hvt" "$s"
done
