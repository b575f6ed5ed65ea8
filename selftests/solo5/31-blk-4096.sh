#!/bin/bash
# tests.bats "blk block-sector-size=4096 hvt": the same with 4096-byte sectors.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
dd if=/dev/zero of="$TESTTMP/storage.img" bs=4k count=1024 status=none
hvt_run --block:storage="$TESTTMP/storage.img" --block-sector-size:storage=4096 -- test_blk/test_blk.hvt
expect_success
