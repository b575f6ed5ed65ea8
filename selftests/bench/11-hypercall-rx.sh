#!/bin/bash
# Host to guest over the hypercall path, 1514-byte frames: the host tool's
# sender against the guest's rx mode, with the VM's exit counts.
. "$(dirname "$0")/lib/smoke.sh"
bench_run --paths hypercall --sizes 1514 --tests h2g --parts net
line=$(record '^R kind=net path=hypercall test=h2g size=1514 ') || fail "$line"
positive "$line" sent frames bytes ns exits io_exits
