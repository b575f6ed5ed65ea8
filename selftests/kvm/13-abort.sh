#!/bin/bash
# solo5_abort() ends the tender with status 255.
. "$(dirname "$0")/lib/guest.sh"
run_tender 255 --mem=32 "$GUESTS/abort.hvt"
expect '^aborting$'
