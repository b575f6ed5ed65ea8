#!/bin/bash
# tests.bats "blk odd hvt": 521-byte sectors are refused: status 1,
# "Block size must be a multiple of 2".
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
dd if=/dev/zero of="$TESTTMP/storage.img" bs=521 count=3 status=none
hvt_run --block:storage="$TESTTMP/storage.img" --block-sector-size:storage=521 -- test_blk/test_blk.hvt
expect_error 1 "Block size must be a multiple of 2"
