#!/bin/bash
# petrel's blk.hvt on solo5-hvt, 512- and 4096-byte sectors: patterns written and
# read back, bad requests (misaligned, partial, past capacity, bad handle,
# buffer outside RAM) refused with EINVAL, checked in the guest; a second run
# reads the data back from the file.
# timeout: 240
. "$(dirname "$0")/lib/solo5.sh"
on_solo5_hvt
for bs in 512 4096; do
	img=$TESTTMP/disk-$bs.img
	truncate -s 1M "$img"
	run_tender 0 --mem=32 --block:storage="$img" \
		--block-sector-size:storage=$bs -- "$GUESTS/blk.hvt"
	expect "block size $bs"
	expect "^blk: PASSED$"
	run_tender 0 --mem=32 --block:storage="$img" \
		--block-sector-size:storage=$bs -- "$GUESTS/blk.hvt" verify
	expect "^blk: PASSED$"
done
