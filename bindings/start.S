/* SPDX-License-Identifier: ISC */
/*
 * Entry from the tender: long mode, RDI = GPA of struct hvt_boot_info,
 * RSP = top of RAM - 8. Align the stack as the SysV ABI expects at a call
 * and enter C; hvt_start never returns.
 */
	.section .text.boot, "ax"
	.globl _start
	.type _start, @function
_start:
	xorl	%ebp, %ebp
	andq	$-16, %rsp
	call	hvt_start
	ud2
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
