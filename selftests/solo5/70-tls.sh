#!/bin/bash
# petrel's tls.hvt on solo5-hvt: solo5_set_tls_base sets the FS base;
# non-canonical bases are refused.
# timeout: 120
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt
run_tender 0 --mem=32 "$GUESTS/tls.hvt"
expect "^tls: PASSED$"
