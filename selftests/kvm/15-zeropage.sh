#!/bin/bash
# Reading address 0 is a page fault (vector 14) at CR2 0, not a silent read.
. "$(dirname "$0")/lib/guest.sh"
run_tender 255 --mem=32 "$GUESTS/zeropage.hvt"
expect 'guest exception: vector 14 \(#PF page fault\).*CR2 0x0000000000000000'
