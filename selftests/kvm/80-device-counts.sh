#!/bin/bash
# timeout: 300
# Real guests with 1, 8, 32 and 63 devices (the most a manifest holds):
# 1 block; 6 block + 2 net; 28 block + 4 net; 55 block + 8 net, with and
# without --block-sync. Each guest writes and reads back every disk's last
# sector and sends a frame on every net device, under the armed seccomp
# filter: every run must exit 0 (the filter once killed the tender with
# SIGSYS at some device counts; selftests/unit/test_seccomp.c arms it for
# every count from 1 to 63).
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
in_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
for k in $(seq 0 7); do
	in_ns ip tuntap add "tap$k" mode tap || fail "cannot create tap$k"
	in_ns ip link set "tap$k" up
done
for i in $(seq 0 62); do
	truncate -s 4K "$TESTTMP/disk$i.img"
done

for spec in "1 0" "8 2" "32 4" "63 8"; do
	read -r n nets <<<"$spec"
	args=()
	for i in $(seq 0 $((n - nets - 1))); do
		args+=("--block:disk$i=$TESTTMP/disk$i.img")
	done
	for k in $(seq 0 $((nets - 1))); do
		args+=("--net:net$k=tap$k")
	done
	for sync in "" --block-sync; do
		opts=(--mem=32)
		[ -n "$sync" ] && opts+=("$sync")
		out=$(in_ns "$PETREL" "${PETREL_OPTS[@]}" "${opts[@]}" "${args[@]}" \
			-- "$GUESTS/devs$n.hvt" 2>&1)
		st=$?
		printf '%s devices%s: status %d: %s\n' "$n" "${sync:+ $sync}" $st \
			"$(tr '\n' ' ' <<<"$out")"
		[ $st -eq 0 ] || fail "$n devices${sync:+ $sync}: exit status $st"
		expect "^devcount: $((n - nets)) block, $nets net$"
		expect '^devcount: PASSED$'
	done
done
