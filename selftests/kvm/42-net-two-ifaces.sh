#!/bin/bash
# Two interfaces at once, each on its own tap and subnet, each answering.
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/net.sh"
add_tap tap0 10.0.0.1/24
add_tap tap1 10.0.1.1/24
start_guest --mem=32 --net:service0=tap0 --net:service1=tap1 \
	-- "$GUESTS/${NET_GUEST2:-net2}.hvt" 10.0.0.2 10.0.1.2
ping_ok 10.0.0.2 20
ping_ok 10.0.1.2 20
stop_guest
