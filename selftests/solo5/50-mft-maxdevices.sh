#!/bin/bash
# tests.bats "mft_maxdevices hvt": 63 block devices, the most a manifest holds.
# timeout: 600
. "$(dirname "$0")/lib/solo5.sh"
devs=()
for num in $(seq 0 62); do
	dd if=/dev/zero of="$TESTTMP/storage$num.img" bs=4k count=1 status=none
	devs+=("--block:storage$num=$TESTTMP/storage$num.img")
done
hvt_run "${devs[@]}" -- test_mft_maxdevices/test_mft_maxdevices.hvt
expect_success
