#!/bin/bash
# --mem is rounded down to whole 2 MiB pages, as solo5-hvt does; less than
# 2 MiB is refused with one line. The guest's mem_size (and so its stack
# and heap) is exactly that, with or without petrel.ko's rings: the ring
# area is mapped above it.
. "$(dirname "$0")/lib/guest.sh"

mem_is() {
	expect "^memory: mem_size $1\$"
}

run_tender 0 --mem=2 -- "$GUESTS/memory.hvt" memsize
mem_is $((2 << 20))
run_tender 0 --mem=3 -- "$GUESTS/memory.hvt" memsize
mem_is $((2 << 20))
run_tender 0 --mem=33 -- "$GUESTS/memory.hvt" memsize
mem_is $((32 << 20))
run_tender 0 --mem=64 -- "$GUESTS/memory.hvt" memsize
mem_is $((64 << 20))
run_tender 1 --mem=1 -- "$GUESTS/memory.hvt" memsize
expect '^petrel: --mem=1: less than 2 MiB'
expect_lines 1

# With a net device: without petrel.ko, then with it and its rings taken.
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24
grep -q '^petrel ' /proc/modules && rmmod petrel
for mode in off auto; do
	out=$(in_ns "$PETREL" --net-ring=$mode --mem=33 --net:service0=tap0 \
		-- "$GUESTS/memory-net.hvt" memsize 2>&1); st=$?
	echo "$out"
	[ $st -eq 0 ] || fail "exit status $st (--net-ring=$mode, no module)"
	mem_is $((32 << 20))
	expect '^memory: rings not taken$'
done

NET_RING=on
ring_load
out=$(in_ns "$PETREL" --net-ring=on --mem=33 --net:service0=tap0 \
	-- "$GUESTS/memory-net.hvt" memsize 2>&1); st=$?
echo "$out"
[ $st -eq 0 ] || fail "exit status $st (--net-ring=on with petrel.ko)"
mem_is $((32 << 20))
expect '^memory: rings taken$'
# petrel's ring bit (31), and Solo5's (bit 0): petrel.ko serves that
# ring too, above --mem like petrel's; mem_size is the same either way.
expect '^memory: host_features 0x0000000080000001$'
