#!/bin/sh
# mkbad-solo5shape.sh DIR: from DIR/solo5shape.hvt (program headers in the
# order solo5shape.ld.S declares, checked by check-solo5shape.sh), make the
# broken variants 32-bad-images.sh expects refused:
#   solo5shape-buggymft.hvt  manifest note of 1 byte, as Solo5's
#                            test_buggyelf (its tests.bats greps the message)
#   solo5shape-interpx.hvt   interpreter "/nonexistent/solo5/x", no marker
#   solo5shape-lowload.hvt   the empty segment at address 0 given 4 KiB
#   solo5shape-entry.hvt     entry point at 1 GiB, past any --mem=32
set -eu
dir=$1
src=$dir/solo5shape.hvt
PH_INTERP=0 PH_TDATA=4 PH_NOTE_MFT=9

# u64 FILE OFFSET: the little-endian 64-bit value at OFFSET.
u64() {
	od -A n -t u8 -j "$2" -N 8 "$1" | tr -d ' '
}

# put FILE OFFSET BYTES VALUE: store VALUE little-endian in BYTES bytes.
put() {
	v=$4 i=0 esc=
	while [ $i -lt "$3" ]; do
		esc="$esc$(printf '\\0%03o' $((v & 255)))"
		v=$((v >> 8))
		i=$((i + 1))
	done
	printf '%b' "$esc" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

phoff=$(u64 "$src" 32)
# ph FIELD_OFFSET N: file offset of a field of program header N
ph() {
	echo $((phoff + $2 * 56 + $1))
}

variant() {
	cp "$src" "$dir/$1.tmp"
}
done_() {
	mv "$dir/$1.tmp" "$dir/$1"
}

variant solo5shape-buggymft.hvt
note=$(u64 "$src" "$(ph 8 $PH_NOTE_MFT)")
put "$dir/solo5shape-buggymft.hvt.tmp" $((note + 4)) 4 1	# n_descsz
done_ solo5shape-buggymft.hvt

variant solo5shape-interpx.hvt
interp=$(u64 "$src" "$(ph 8 $PH_INTERP)")
put "$dir/solo5shape-interpx.hvt.tmp" $((interp + 19)) 1 120	# 'x'
done_ solo5shape-interpx.hvt

variant solo5shape-lowload.hvt
put "$dir/solo5shape-lowload.hvt.tmp" "$(ph 40 $PH_TDATA)" 8 4096	# p_memsz
done_ solo5shape-lowload.hvt

variant solo5shape-entry.hvt
put "$dir/solo5shape-entry.hvt.tmp" 24 8 $((1 << 30))	# e_entry
done_ solo5shape-entry.hvt
