/* SPDX-License-Identifier: ISC */
/*
 * A test guest linked into the shape Solo5 0.12's own toolchain gives an
 * hvt image (its solo5_hvt.lds, with x86_64-solo5-none-static-cc), so that
 * make check loads such an image without Solo5: segments in the same
 * order with the same types and flags, the interpreter marker at the start
 * of an execute-only text segment, each note in the rodata segment and in
 * a PT_NOTE of its own (the OpenBSD ident one first), a tdata segment and
 * a PT_TLS that stay empty (ld puts an empty segment at address 0), bss in
 * a segment of its own with no file bytes. PT_GNU_STACK is added, as other
 * Solo5 toolchains have it. Preprocessed: -DSOLO5SHAPE_DYNAMIC adds a
 * PT_DYNAMIC, which the tender must refuse. check-solo5shape.sh readelf's
 * the results to prove the shape.
 */
OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(_start)

PHDRS {
	interp PT_INTERP;
	text PT_LOAD FLAGS(1);		/* X only, no headers in it */
	rodata PT_LOAD FLAGS(4);	/* R */
	data PT_LOAD;			/* flags from its sections: RW */
	tdata PT_LOAD FLAGS(4);		/* R, empty here */
	tbss PT_TLS FLAGS(0);		/* empty here */
	bss PT_LOAD;			/* RW, no file bytes */
	note_openbsd PT_NOTE;
	note_abi PT_NOTE;
	note_mft PT_NOTE;
	stack PT_GNU_STACK FLAGS(6);
#ifdef SOLO5SHAPE_DYNAMIC
	dynamic PT_DYNAMIC;
#endif
}

SECTIONS {
	. = 0x100000;

	/* The marker first, inside the text segment, as Solo5 places it. */
	.interp : {
		KEEP(*(.interp))
	} :interp :text
	.text : {
		*(.text.boot)
		*(.text .text.*)
	} :text

	. = ALIGN(0x1000);
	.note.solo5.manifest : {
		KEEP(*(.note.solo5.manifest))
	} :rodata :note_mft
	.note.solo5.abi : {
		KEEP(*(.note.solo5.abi))
	} :rodata :note_abi
	.note.solo5.not_openbsd : {
		KEEP(*(.note.solo5.not_openbsd))
	} :rodata :note_openbsd
	.rodata : {
		*(.rodata .rodata.*)
	} :rodata

	. = ALIGN(0x1000);
	.data : {
		*(.data .data.*)
	} :data

	. = ALIGN(0x1000);
	.tdata : {
		*(.tdata .tdata.*)
	} :tdata
	.tbss : {
		*(.tbss .tbss.*)
	} :tbss
	.bss : {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
	} :bss
	. = ALIGN(0x1000);
	_end = .;

	/DISCARD/ : {
		*(.comment)
		*(.eh_frame .eh_frame_hdr)
		*(.note.GNU-stack)
		*(.note.gnu.*)
	}
}
