#!/bin/bash
# petrel's abort.hvt on solo5-hvt: solo5_abort() ends the tender with status 255.
# timeout: 120
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt
run_tender 255 --mem=32 "$GUESTS/abort.hvt"
expect "^aborting$"
