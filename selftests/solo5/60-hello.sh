#!/bin/bash
# petrel's hello.hvt on solo5-hvt: its greeting and exact command line.
# timeout: 120
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt
run_tender 0 --mem=32 "$GUESTS/hello.hvt" one "two three" --name=x
expect "^Hello, World$"
expect "^Command line is: 'one two three --name=x'$"
