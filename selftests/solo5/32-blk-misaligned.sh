#!/bin/bash
# tests.bats "blk misaligned hvt": a 6 KiB file with 4096-byte sectors is
# refused: status 1, "Backing storage size must be block aligned".
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
dd if=/dev/zero of="$TESTTMP/storage.img" bs=2k count=3 status=none
hvt_run --block:storage="$TESTTMP/storage.img" --block-sector-size:storage=4096 -- test_blk/test_blk.hvt
expect_error 1 "Backing storage size must be block aligned"
