#!/bin/bash
# timeout: 150
# What solo5-hvt checks on devices, petrel checks too, each refusal one
# line naming the device and exit 1: a tap that is down ("Network is
# down"); a block file smaller than one sector, empty, or not a multiple
# of the sector size ("Backing storage size must be block aligned", the
# phrase of Solo5's tests.bats "blk misaligned"); a sector size that is
# not a power of two from 512 ("Block size must be a multiple of 2
# greater than or equal 512", "blk odd" and "blk too small"). And as in
# solo5-hvt an all-zero --net-mac gives the guest a random MAC: unicast,
# locally administered, different each run.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24

# refused REGEX ARGS...: exit 1, one line "petrel: ..." matching REGEX.
refused() {
	local want=$1 st
	shift
	out=$(in_ns timeout 20 "$PETREL" "${PETREL_OPTS[@]}" "$@" 2>&1)
	st=$?
	printf '%s\n' "$out" | head -n 5
	[ $st -eq 1 ] || fail "exit status $st, expected 1 for: $*"
	expect_lines 1
	expect "^petrel: .*$want"
}

# A tap that is down.
in_ns ip link set tap0 down
refused '--net:service0=tap0: .*Network is down' --mem=32 \
	--net:service0=tap0 -- "$GUESTS/net.hvt" 10.0.0.2
in_ns ip link set tap0 up

# Block geometry, as Solo5's tests.bats runs it.
blk() {
	head -c "$1" /dev/zero >"$TESTTMP/storage.img"
}
blk 256
refused '--block:storage=.*storage\.img: Backing storage must be at least 1 block \(512 bytes\)' \
	--mem=32 --block:storage="$TESTTMP/storage.img" -- "$GUESTS/blk.hvt"
blk 0
refused 'Backing storage must be at least 1 block \(512 bytes\) in size, it has 0' \
	--mem=32 --block:storage="$TESTTMP/storage.img" -- "$GUESTS/blk.hvt"
blk 6144	# "blk misaligned": 3 x 2 KiB with 4 KiB sectors
refused 'Backing storage size must be block aligned' --mem=32 \
	--block:storage="$TESTTMP/storage.img" --block-sector-size:storage=4096 \
	-- "$GUESTS/blk.hvt"
blk 1563	# "blk odd": 3 x 521
refused 'Block size must be a multiple of 2' --mem=32 \
	--block:storage="$TESTTMP/storage.img" --block-sector-size:storage=521 \
	-- "$GUESTS/blk.hvt"
blk 256		# "blk too small"
refused 'Block size must be a multiple of 2 greater than or equal 512' \
	--mem=32 --block:storage="$TESTTMP/storage.img" \
	--block-sector-size:storage=256 -- "$GUESTS/blk.hvt"
# Exactly one sector is enough.
blk 512
run_tender 0 --mem=32 --block:storage="$TESTTMP/storage.img" -- "$GUESTS/blk.hvt"
expect '^blk: PASSED$'

# An all-zero MAC: the host learns a random one, twice, not the same.
macs=()
for run in 1 2; do
	start_guest --mem=32 --net:service0=tap0 \
		--net-mac:service0=00:00:00:00:00:00 -- "$GUESTS/net.hvt" 10.0.0.2
	wait_carrier tap0
	ping_ok 10.0.0.2 3
	mac=$(in_ns ip neigh show 10.0.0.2 dev tap0 | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')
	stop_guest
	in_ns ip neigh flush dev tap0
	echo "run $run: the guest's MAC is $mac"
	[[ $mac =~ ^[0-9a-f]{2}(:[0-9a-f]{2}){5}$ ]] || fail "no MAC learned"
	[ "$mac" != 00:00:00:00:00:00 ] || fail "the guest kept the all-zero MAC"
	# Unicast (bit 0 clear), locally administered (bit 1 set).
	[ $((0x${mac%%:*} & 3)) -eq 2 ] || fail "$mac is not unicast and locally administered"
	macs+=("$mac")
done
[ "${macs[0]}" != "${macs[1]}" ] || fail "the same MAC twice: not random"
