#!/bin/bash
# The no-guest ceiling, 1514-byte frames: the host tool on both ends of the
# tap (AF_PACKET and the tap fd) in every mode, and the report (table,
# JSON and chart) of that.
. "$(dirname "$0")/lib/smoke.sh"
bench_run --paths ceiling --sizes 1514 --parts net
net_records ceiling 1514
report_ok
