#!/bin/bash
# The kvm suite's two-interface test on the installed tender and petrel-dev
# guests.
. "$(dirname "$0")/lib/pkg.sh"
exec "$PETREL_SRC/selftests/kvm/42-net-two-ifaces.sh"
