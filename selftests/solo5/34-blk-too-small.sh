#!/bin/bash
# tests.bats "blk too small hvt": 256-byte sectors are refused: status 1,
# "Block size must be a multiple of 2 greater than or equal 512".
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
dd if=/dev/zero of="$TESTTMP/storage.img" bs=256 count=1 status=none
hvt_run --block:storage="$TESTTMP/storage.img" --block-sector-size:storage=256 -- test_blk/test_blk.hvt
expect_error 1 "Block size must be a multiple of 2 greater than or equal 512"
