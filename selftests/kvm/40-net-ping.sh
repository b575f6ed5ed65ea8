#!/bin/bash
# The guest answers ARP and ICMP echo on its tap: 100 pings, none lost, and
# the host learns the MAC the tender was told to give it.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
mac=02:00:5e:00:01:02
add_tap tap0 10.0.0.1/24
start_guest --mem=32 --net:service0=tap0 --net-mac:service0=$mac \
	-- "$GUESTS/${NET_GUEST:-net}.hvt" 10.0.0.2
ping_ok 10.0.0.2 100
in_ns ip neigh show 10.0.0.2 dev tap0 | tee "$TESTTMP/neigh"
grep -q "lladdr $mac" "$TESTTMP/neigh" || fail "host did not learn $mac"
stop_guest
