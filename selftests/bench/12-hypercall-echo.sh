#!/bin/bash
# Round trips over the hypercall path, 64-byte frames: the host tool's
# pings against the guest's echo mode, with percentiles and exit counts.
. "$(dirname "$0")/lib/smoke.sh"
bench_run --paths hypercall --sizes 64 --tests echo --parts net
line=$(record '^R kind=net path=hypercall test=echo size=64 ') || fail "$line"
positive "$line" sent received p50_ns p99_ns p999_ns frames exits io_exits
