#!/bin/bash
# The seccomp policy with the rings offered (--print-policy): the filter for
# a guest that takes them allows no tap read or write at all, only the wake
# eventfds, and no petrel.ko ioctl (the counters are a shared page) but
# PETREL_IOC_WORKER for the thread the tender lends the module; the one
# for a guest that declines them
# has the tap rules of the hypercall path.
. "$(dirname "$0")/lib/guest.sh"
NET_RING=on
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24
out=$(in_ns "$PETREL" --net-ring=on --print-policy --mem=32 \
	--net:service0=tap0 "$GUESTS/net.hvt" 10.0.0.2 2>&1); st=$?
echo "$out"
[ $st -eq 0 ] || fail "exit status $st"
rings=$(sed -n '/accepts the net rings/,/declines them/p' <<<"$out")
calls=$(sed -n '/declines them/,$p' <<<"$out")
grep -q 'wake eventfd' <<<"$rings" || fail "ring policy: no wake eventfd rule"
grep 'PETREL_IOC' <<<"$rings" | grep -qv 'PETREL_IOC_WORKER)' &&
	fail "ring policy allows a petrel.ko ioctl other than PETREL_IOC_WORKER"
grep -q 'tap fd' <<<"$rings" && fail "ring policy allows tap I/O"
grep -q 'allow read if arg0 == [0-9]* (tap fd)' <<<"$calls" ||
	fail "hypercall policy: no tap read"
grep -q 'allow write if arg0 == [0-9]* (tap fd)' <<<"$calls" ||
	fail "hypercall policy: no tap write"
echo "ring filter: $(grep -c '^allow' <<<"$rings") rules, hypercall filter: $(grep -c '^allow' <<<"$calls") rules"
