#!/bin/bash
# The installed tender runs hello built against the installed bindings
# (the kvm suite's test, on the installed copies).
. "$(dirname "$0")/lib/pkg.sh"
exec "$PETREL_SRC/selftests/kvm/10-hello.sh"
