#!/bin/bash
# A command line that does not fit the guest's 8192-byte buffer is refused;
# one that exactly fits (8191 bytes and the NUL) runs.
. "$(dirname "$0")/lib/guest.sh"
fit=$(head -c 8191 /dev/zero | tr '\0' x)
run_tender 0 --mem=32 "$GUESTS/quiet.hvt" "$fit"
run_tender 1 --mem=32 "$GUESTS/quiet.hvt" "${fit}y"
expect '^petrel: .*command line'
expect_lines 1
