#!/bin/bash
# tests.bats "blk hvt": block I/O on a 4 MiB file with the default 512-byte sectors.
# timeout: 450
. "$(dirname "$0")/lib/solo5.sh"
dd if=/dev/zero of="$TESTTMP/storage.img" bs=4k count=1024 status=none
hvt_run --block:storage="$TESTTMP/storage.img" -- test_blk/test_blk.hvt
expect_success
