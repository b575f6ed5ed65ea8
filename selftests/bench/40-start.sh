#!/bin/bash
# Tender start-up: exec to the first KVM_RUN and to the guest's main, and
# the tender's resident memory and where it goes, all measured and
# reported.
. "$(dirname "$0")/lib/smoke.sh"
bench_run --parts start
line=$(record '^R kind=start path=petrel ') || fail "$line"
positive "$line" exec_to_main_ns exec_to_first_insn_ns strace_exec_to_main_ns rss_kb hwm_kb
line=$(record '^R kind=rss path=petrel ') || fail "$line"
positive "$line" rss_kb smaps_rss_kb guest_kb exe_kb libc_kb rss_file_kb
