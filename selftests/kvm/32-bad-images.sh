#!/bin/bash
# Images the tender must refuse, each with one line naming the file: a
# corrupted ELF header, another hvt ABI version, no ABI note, a directory,
# a missing file; and, in the shape Solo5's toolchain links (see
# mkbad-solo5shape.sh), a one-byte manifest note (Solo5's test_buggyelf,
# with the phrase its tests.bats expects), an interpreter that is not
# Solo5's marker, a non-empty segment at address 0, an entry point past
# guest memory.
. "$(dirname "$0")/lib/guest.sh"
for img in badelf abi1 noabi solo5shape-buggymft solo5shape-interpx \
	solo5shape-lowload solo5shape-entry; do
	run_tender 1 --mem=32 "$GUESTS/$img.hvt"
	expect "^petrel: .*$img\\.hvt"
	expect_lines 1
done
run_tender 1 --mem=32 "$GUESTS/abi1.hvt"
expect 'ABI version 1'
run_tender 1 --mem=32 "$GUESTS/solo5shape-buggymft.hvt"
expect 'note does not fall within valid size'
run_tender 1 --mem=32 "$GUESTS/solo5shape-interpx.hvt"
expect 'unsupported program interpreter "/nonexistent/solo5/x"'
run_tender 1 --mem=32 "$GUESTS/solo5shape-lowload.hvt"
expect 'segment 4 at 0x0, below 0x100000'
run_tender 1 --mem=32 "$GUESTS/solo5shape-entry.hvt"
expect 'entry point 0x40000000 outside guest memory'
run_tender 1 --mem=32 "$GUESTS"
expect_lines 1
run_tender 1 --mem=32 "$TESTTMP/missing.hvt"
expect 'missing\.hvt'
expect_lines 1
