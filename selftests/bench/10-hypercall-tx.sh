#!/bin/bash
# Guest to host over the hypercall path, 64-byte frames: the guest's tx
# mode against the host tool's sink, with the VM's exit counts.
. "$(dirname "$0")/lib/smoke.sh"
bench_run --paths hypercall --sizes 64 --tests g2h --parts net
line=$(record '^R kind=net path=hypercall test=g2h size=64 ') || fail "$line"
positive "$line" sent frames bytes ns exits io_exits
