#!/bin/bash
# Bad requests the tender answers with EINVAL and carries on: bad handles
# (reserved entry, the other device type, past the end, above 2^32), block
# offsets and lengths past the capacity or wrapping around, data buffers
# outside RAM, straddling its end or wrapping, frame lengths 0, over the MTU
# and 2^64-1 (all checked in the guest, raw hypercalls). Then on the host:
# the block file holds only the one good write, and no frame reached the
# tap. A second run does legal requests on the last bytes of RAM.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24
img=$TESTTMP/disk.img
head -c 65536 /dev/zero | tr '\0' '\125' >"$img"
out=$(in_ns "$PETREL" --mem=32 --net:net0=tap0 --block:disk="$img" -- \
	"$GUESTS/hostile.hvt" refusals 2>&1)
st=$?
printf '%s\n' "$out"
[ $st -eq 0 ] || fail "exit status $st, expected 0"
expect '^hostile: refusals PASSED$'
! grep -q '^FAIL' <<<"$out" || fail "a refusal check failed"
n=$(grep -c '^ok: ' <<<"$out")
echo "$n checks passed in the guest"
# Every byte but the last sector is still the 0x55 pattern; that sector
# holds the good write (0xab).
want=$( { head -c 65024 /dev/zero | tr '\0' '\125'; head -c 512 /dev/zero | tr '\0' '\253'; } | md5sum)
got=$(md5sum <"$img")
[ "$got" = "$want" ] || fail "the block file changed beyond the one good write"
rx=$(in_ns cat /sys/class/net/tap0/statistics/rx_packets)
[ "$rx" -eq 0 ] || fail "$rx frames reached tap0, expected none"

out=$(in_ns "$PETREL" --mem=32 --net:net0=tap0 --block:disk="$img" -- \
	"$GUESTS/hostile.hvt" edge 2>&1)
st=$?
printf '%s\n' "$out"
[ $st -eq 0 ] || fail "edge: exit status $st, expected 0"
expect '^\[edge\]$'
expect '^hostile: edge PASSED$'
