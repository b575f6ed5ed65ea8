#!/bin/bash
# Demo scene: the hello unikernel on KVM, its console output shown as is.
set -u
[ -x "$PETREL" ] || { echo "demo: $PETREL is missing (run make)"; exit 1; }
[ -f "$GUESTS/hello.hvt" ] || { echo "demo: $GUESTS/hello.hvt is missing (run make)"; exit 1; }
echo "\$ petrel --mem=64 -- hello.hvt Hello from petrel"
"$PETREL" --mem=64 -- "$GUESTS/hello.hvt" Hello from petrel
rc=$?
echo "(petrel exited with status $rc)"
exit $rc
