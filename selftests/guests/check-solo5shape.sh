#!/bin/sh
# check-solo5shape.sh DIR: prove that DIR/solo5shape*.hvt have the shape
# of an image linked by Solo5 0.12's toolchain (see solo5shape.ld.S), as
# readelf sees them, so that the kvm tests load what they claim to load.
# Prints the first difference and exits 1.
set -eu
dir=$1
rc=0

fail() {
	echo "check-solo5shape: $*" >&2
	rc=1
}

# phdrs IMAGE: one line per program header: type offset vaddr paddr filesz
# memsz flags align (flags with spaces removed, "-" when none).
phdrs() {
	LC_ALL=C readelf -lW "$1" 2>/dev/null | awk '
		/^Program Headers:/ { on = 1; next }
		on && /^$/ { exit }
		on && $1 ~ /^[A-Z_]+$/ && $2 ~ /^0x/ {
			flags = ""
			for (i = 7; i < NF; i++)
				flags = flags $i
			print $1, $2, $3, $4, $5, $6, (flags == "" ? "-" : flags), $NF
		}'
}

# expect_phdrs IMAGE "TYPES": the program header types, in order.
expect_phdrs() {
	got=$(phdrs "$1" | awk '{ printf "%s ", $1 }')
	[ "$got" = "$2 " ] || fail "$1: program headers '$got', expected '$2 '"
}

# field IMAGE N COLUMN: column COLUMN (1-based) of program header N (0-based).
field() {
	phdrs "$1" | awk -v n="$2" -v c="$3" 'NR == n + 1 { print $c }'
}

# expect_field IMAGE N COLUMN VALUE WHAT
expect_field() {
	v=$(field "$1" "$2" "$3")
	[ "$v" = "$4" ] || fail "$1: $5 is '$v', expected '$4'"
}

interp() {
	LC_ALL=C readelf -lW "$1" 2>/dev/null |
		sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p'
}

shape="INTERP LOAD LOAD LOAD LOAD TLS LOAD NOTE NOTE NOTE GNU_STACK"
img=$dir/solo5shape.hvt
expect_phdrs "$img" "$shape"
[ "$(interp "$img")" = /nonexistent/solo5/ ] ||
	fail "$img: interpreter '$(interp "$img")'"
# the marker: 24 bytes, 8-aligned, at the start of the X-only text
expect_field "$img" 0 5 0x000018 "PT_INTERP p_filesz"
expect_field "$img" 0 8 0x8 "PT_INTERP p_align"
expect_field "$img" 0 3 "$(field "$img" 1 3)" "PT_INTERP p_vaddr (text's)"
expect_field "$img" 1 7 E "text flags"
expect_field "$img" 2 7 R "rodata flags"
expect_field "$img" 3 7 RW "data flags"
# the empty tdata segment at address 0, the empty PT_TLS
expect_field "$img" 4 3 0x0000000000000000 "tdata p_vaddr"
expect_field "$img" 4 5 0x000000 "tdata p_filesz"
expect_field "$img" 4 6 0x000000 "tdata p_memsz"
expect_field "$img" 5 5 0x000000 "PT_TLS p_filesz"
expect_field "$img" 5 6 0x000000 "PT_TLS p_memsz"
# bss: memory, no file bytes
expect_field "$img" 6 5 0x000000 "bss p_filesz"
expect_field "$img" 6 7 RW "bss flags"
[ "$(field "$img" 6 6)" != 0x000000 ] || fail "$img: bss is empty"
for n in 7 8 9; do
	expect_field "$img" $n 8 0x4 "PT_NOTE $n p_align"
done
# each PT_NOTE starts with its note, in Solo5's order: the OpenBSD ident
# (namesz 8, descsz 4, type 1), ABI1 (6, 16), MFT1 (6, 116: one entry)
note_at() {
	off=$(field "$1" "$2" 2)
	od -A n -t u4 -j $((off)) -N 12 "$1" | awk '{ print $1, $2, $3 }'
	dd if="$1" bs=1 skip=$((off + 12)) count=8 status=none | tr -d '\0'
	echo
}
expect_note() {
	got=$(note_at "$1" "$2" | tr '\n' ' ')
	[ "$got" = "$3 " ] || fail "$1: PT_NOTE $2 holds '$got', expected '$3 '"
}
expect_note "$img" 7 "8 4 1 OpenBSD"
expect_note "$img" 8 "6 16 826884673 Solo5"
expect_note "$img" 9 "6 116 827606605 Solo5"
# EI_OSABI: OpenBSD (12)
LC_ALL=C readelf -hW "$img" | grep -q 'OS/ABI: *UNIX - OpenBSD' ||
	fail "$img: EI_OSABI is not OpenBSD"

img=$dir/solo5shape-interp.hvt
expect_phdrs "$img" "$shape"
[ "$(interp "$img")" = /lib/ld-linux.so.2 ] ||
	fail "$img: interpreter '$(interp "$img")'"

img=$dir/solo5shape-dynamic.hvt
expect_phdrs "$img" "$shape DYNAMIC"
[ "$(interp "$img")" = /nonexistent/solo5/ ] ||
	fail "$img: interpreter '$(interp "$img")'"
exit $rc
