#!/bin/bash
# Guest memory as Solo5 lays it out (memory.hvt's probes): nothing below
# 0x10000 mapped (reading 0, or TLS before its base, is a page fault the
# guest reports and aborts on), 0x10000..1 MiB readable but not writable,
# the image's read-only segments read-only on the host (a write stops the
# tender with one "host/guest translation fault" line, exit 1), its data
# writable, and the host refusing to write a hypercall's output there.
. "$(dirname "$0")/lib/guest.sh"

# probe NAME STATUS: run memory.hvt's probe NAME, expect STATUS.
probe() {
	echo "# probe $1"
	run_tender "$2" --mem=32 -- "$GUESTS/memory.hvt" "$1"
	expect "^memory: probe $1\$"
}

# The guest's page fault report: vector 14 at CR2 $1.
page_fault() {
	expect "guest exception: vector 14 \(#PF page fault\).*CR2 $1"
}

# The tender's one line for a guest write to read-only memory.
translation_fault() {
	expect '^petrel: host/guest translation fault: guest wrote to read-only memory'
	[ "$(grep -c '^petrel:' <<<"$out")" -eq 1 ] ||
		fail "more than one line from the tender"
	grep -q '^FAIL' <<<"$out" && fail "the write went through"
	return 0
}

probe read0 255
page_fault 0x0000000000000000

# %fs:0x28 with FS base 0 (Solo5's test_notls).
probe notls 255
page_fault 0x0000000000000028

probe lowread 0
expect '^ok: memory: boot info read at 0x10000$'

# Read-only in the guest's page tables: its own page fault (error code 3:
# present, write).
probe lowwrite 255
page_fault 0x0000000000010000
expect 'error code 0x0*3\b'

probe textwrite 1
translation_fault

probe rodatawrite 1
translation_fault

probe datawrite 0
expect '^ok: memory: .data and .bss written and read back$'

probe hcro 1
expect '^petrel: guest fault: WALLTIME hypercall: hypercall argument in read-only guest memory'
expect_lines 2
