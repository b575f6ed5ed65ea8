#!/bin/bash
# The kvm suite's UDP echo test on the installed tender and petrel-dev
# guests.
. "$(dirname "$0")/lib/pkg.sh"
exec "$PETREL_SRC/selftests/kvm/41-net-udp-echo.sh"
