#!/bin/bash
# Operator errors: one line naming the problem, exit 1, guest never runs.
. "$(dirname "$0")/lib/guest.sh"
for bad in --mem=0 --mem=abc --mem=4098 --mem= --bogus --net:x; do
	run_tender 1 "$bad" "$GUESTS/hello.hvt"
	expect_lines 1
	expect '^petrel: '
done
run_tender 1 --mem=32
expect_lines 1
