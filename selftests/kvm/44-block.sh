#!/bin/bash
# Block I/O: patterns written and read back, bad requests refused with
# EINVAL while the device keeps working (all checked in the guest); a second
# run reads the data back from the file, with 512- and 4096-byte sectors.
. "$(dirname "$0")/lib/guest.sh"
for bs in 512 4096; do
	img=$TESTTMP/disk-$bs.img
	truncate -s 1M "$img"
	run_tender 0 --mem=32 --block:storage="$img" \
		--block-sector-size:storage=$bs -- "$GUESTS/blk.hvt"
	expect "block size $bs"
	expect '^blk: PASSED$'
	run_tender 0 --mem=32 --block-sync --block:storage="$img" \
		--block-sector-size:storage=$bs -- "$GUESTS/blk.hvt" verify
	expect '^blk: PASSED$'
done
