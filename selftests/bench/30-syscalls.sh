#!/bin/bash
# Tender syscalls per packet: strace -c attached to the tender counts its
# system calls over a short guest-to-host run.
. "$(dirname "$0")/lib/smoke.sh"
bench_run --paths hypercall --sizes 64 --tests g2h --parts syscalls
line=$(record '^R kind=syscalls path=hypercall test=g2h size=64 ') || fail "$line"
positive "$line" frames syscalls
