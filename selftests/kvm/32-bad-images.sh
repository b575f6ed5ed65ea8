#!/bin/bash
# Images the tender must refuse, each with one line naming the file: a
# corrupted ELF header, another hvt ABI version, no ABI note, a directory,
# a missing file.
. "$(dirname "$0")/lib/guest.sh"
for img in badelf abi1 noabi; do
	run_tender 1 --mem=32 "$GUESTS/$img.hvt"
	expect "^petrel: .*$img\\.hvt"
	expect_lines 1
done
run_tender 1 --mem=32 "$GUESTS/abi1.hvt"
expect 'ABI version 1'
run_tender 1 --mem=32 "$GUESTS"
expect_lines 1
run_tender 1 --mem=32 "$TESTTMP/missing.hvt"
expect 'missing\.hvt'
expect_lines 1
