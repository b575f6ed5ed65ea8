#!/bin/bash
# hello prints its greeting and exactly the command line it was given.
. "$(dirname "$0")/lib/guest.sh"
run_tender 0 --mem=32 "$GUESTS/hello.hvt" one "two three" --name=x
expect '^Hello, World$'
expect "^Command line is: 'one two three --name=x'$"
