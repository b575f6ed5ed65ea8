#!/bin/bash
# solo5_set_tls_base sets the FS base; non-canonical bases are refused.
. "$(dirname "$0")/lib/guest.sh"
run_tender 0 --mem=32 "$GUESTS/tls.hvt"
expect '^tls: PASSED$'
