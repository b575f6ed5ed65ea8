#!/bin/bash
# petrel's zeropage.hvt on solo5-hvt: reading address 0 is a page fault at
# CR2 0 (solo5-hvt maps nothing below 0x10000).
# timeout: 120
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt
run_tender 255 --mem=32 "$GUESTS/zeropage.hvt"
expect "guest exception: vector 14 \(#PF page fault\).*CR2 0x0000000000000000"
