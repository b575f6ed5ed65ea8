#!/bin/bash
# The counters page of /dev/petrel: it maps only as documented (shared,
# one page, offset 0, zeroed), and what is stored in it is what netlink
# serves, slot by slot, in show, JSON and Prometheus output; KVM statistics
# only where their bit in kvm_valid is set.
. "$(dirname "$0")/stat-lib.bash"
load_petrel
holder_start page pg1

"$PSTAT" show pg1 >"$TESTTMP/show" || fail "show"
cat "$TESTTMP/show"
$CHECK show "$TESTTMP/show" >"$TESTTMP/s" || fail "show: $(cat "$TESTTMP/s")"
n=2
for k in exits io_exits hlt_exits mmio_exits; do
	want "$TESTTMP/s" "tender.$k" $((1000 + n)); n=$((n + 1))
done
n=8
for k in console_writes console_bytes block_reads block_read_bytes \
	block_writes block_write_bytes block_errors guest_tx_packets \
	guest_tx_bytes guest_rx_packets guest_rx_bytes poll_sleeps \
	poll_sleep_ns start_time_unix_ns memory_bytes; do
	want "$TESTTMP/s" "tender.$k" $((1000 + n)); n=$((n + 1))
done
n=1
for k in walltime puts poll block_write block_read net_write net_read halt \
	hc9 hc10 hc11 hc12 hc13 hc14 hc15; do
	want "$TESTTMP/s" "hypercalls.$k" $((2000 + n)); n=$((n + 1))
done
n=0
for k in unknown exception io hypercall; do
	want "$TESTTMP/s" "exit_reasons.$k" $((3000 + n)); n=$((n + 1))
done
[ "$(grep -c '^exit_reasons\.' "$TESTTMP/s")" -eq 4 ] || fail "other exit reasons shown"
for kv in io_exits:3 halt_exits:5 signal_exits:7 irq_injections:9 \
	insn_emulations:11 remote_tlb_flushes:13 pages_2m:15; do
	want "$TESTTMP/s" "kvm.${kv%:*}" $((4000 + ${kv#*:}))
done
[ "$(grep -c '^kvm\.' "$TESTTMP/s")" -eq 7 ] || fail "KVM statistics without their valid bit shown"

"$PSTAT" --json >"$TESTTMP/json" || fail "--json"
$CHECK json "$SCHEMA" "$TESTTMP/json" >"$TESTTMP/j" || fail "json: $(cat "$TESTTMP/j")"
want "$TESTTMP/j" pg1.memory_bytes 1022
want "$TESTTMP/j" pg1.tx_packets 1015
want "$TESTTMP/j" pg1.rx_bytes 1018
want "$TESTTMP/j" pg1.tender.exits 1002
want "$TESTTMP/j" pg1.tender.poll_sleep_ns 1020
want "$TESTTMP/j" pg1.tender.hypercalls.halt 2008
want "$TESTTMP/j" pg1.tender.exit_reasons.io 3002
want "$TESTTMP/j" pg1.tender.kvm.pages_2m 4015

"$PSTAT" --prometheus >"$TESTTMP/prom" || fail "--prometheus"
$CHECK prom "$TESTTMP/prom" >"$TESTTMP/p" || fail "prometheus: $(cat "$TESTTMP/p")"
want "$TESTTMP/p" 'petrel_vm_exits_total{vm=pg1}' 1002
want "$TESTTMP/p" 'petrel_vm_block_write_bytes_total{vm=pg1}' 1013
want "$TESTTMP/p" 'petrel_vm_poll_sleep_seconds_total{vm=pg1}' 0.000001020
want "$TESTTMP/p" 'petrel_vm_start_time_seconds{vm=pg1}' 0.000001021
want "$TESTTMP/p" 'petrel_vm_memory_bytes{vm=pg1}' 1022
want "$TESTTMP/p" 'petrel_vm_hypercalls_total{hypercall=puts,vm=pg1}' 2002
want "$TESTTMP/p" 'petrel_vm_exit_reasons_total{reason=io,vm=pg1}' 3002
want "$TESTTMP/p" 'petrel_vm_kvm_io_exits_total{vm=pg1}' 4003
want "$TESTTMP/p" 'petrel_vm_kvm_pages{size=2m,vm=pg1}' 4015
# Without its bit, a KVM statistic reads 0 (every series is always there).
want "$TESTTMP/p" 'petrel_vm_kvm_exits_total{vm=pg1}' 0

holder_stop
unload_petrel || fail "rmmod"
