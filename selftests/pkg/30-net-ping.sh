#!/bin/bash
# The kvm suite's ping test on the installed tender and petrel-dev guests.
. "$(dirname "$0")/lib/pkg.sh"
exec "$PETREL_SRC/selftests/kvm/40-net-ping.sh"
