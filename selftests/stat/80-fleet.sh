#!/bin/bash
# A host with several VMs, each with several taps: 3 VMs (vm0..vm2) with 2
# devices each and known traffic (stat_vms fleet), on one set of VMs:
#  - list: globs filter by name, --sort orders by a counter, a totals row
#    ends the table; show takes "#ID"; devices show their tap's name and
#    index (as the tap's namespace has them);
#  - JSON: list --json is one array (also when nothing matches), valid
#    under the schema, with a schema_version; the schema takes keys it
#    does not know;
#  - Prometheus: devices labelled by interface, every series of every VM
#    present with zeros, drops as one family, `promtool check metrics`
#    clean, every metric in the man page and no other;
#  - watch: plain frames when stdout is not a terminal, redrawn in place
#    when it is, one JSON object per interval with a timestamp;
# and `events` across an rmmod/insmod cycle: it says on stderr that the
# family went away and came back and goes on reporting (--once exits 2),
# with -t timestamps. Every process costs seconds under the emulated CPU:
# values are checked many at a time (want_lines).
. "$(dirname "$0")/stat-lib.bash"
load_petrel

# Listeners first, in this namespace (the fleet has its own): one JSON, one
# text with timestamps that exits when the family goes away.
"$PSTAT" events --json >"$TESTTMP/events" 2>"$TESTTMP/events.err" &
EV_PID=$!
"$PSTAT" events -t --once >"$TESTTMP/once" 2>"$TESTTMP/once.err" &
ONCE_PID=$!
both_joined() {
	grep -q '"event":"del".*"name":"probe' "$TESTTMP/events" &&
		grep -q ' del .*name=probe' "$TESTTMP/once"
}
waiting_for "both events listeners to report a probe VM going away"
i=0
until both_joined; do
	i=$((i + 1))
	"$STAT_VMS" many 1 "probe$i" </dev/null >/dev/null || fail "probe VM"
done
waiting_for ""

holder_start fleet 3 vm 2
ps() { nsenter --net="/proc/$HOLDER_PID/ns/net" "$PSTAT" "$@"; }
# The taps' indexes in the fleet's namespace ("vm0t0 5" lines; not from
# /sys, which shows the namespace it was mounted in).
nsenter --net="/proc/$HOLDER_PID/ns/net" ip -o link show |
	awk -F': ' '$2 ~ /^vm[0-9]t[0-9]/ { sub(/@.*/, "", $2); print $2, $1 }' >"$TESTTMP/idx"
[ "$(wc -l <"$TESTTMP/idx")" -eq 6 ] || fail "taps: $(cat "$TESTTMP/idx")"
idx() { awk -v t="$1" '$1 == t { print $2 }' "$TESTTMP/idx"; }

# ---- list ----
ps list >"$TESTTMP/list" || fail "list"
echo "# petrel-stat list"
cat "$TESTTMP/list"
# NAME PID UPTIME MEM RX_PKTS RX_BYTES TX_PKTS TX_BYTES DROPS EXITS: vm<v>
# sends 3(v+1) frames of 100 bytes, receives 6 of 200.
rows() { awk 'NR > 1 { print $1, $5, $6, $7, $8, $9 }' "$1"; }
rows "$TESTTMP/list" | diff - <(printf '%s\n' "vm0 6 1200 3 300 0" "vm1 6 1200 6 600 0" \
	"vm2 6 1200 9 900 0" "(total) 18 3600 18 1800 0") || fail "list: rows"
ps list 'vm[12]' >"$TESTTMP/l2" || fail "list PATTERN"
rows "$TESTTMP/l2" | diff - <(printf '%s\n' "vm1 6 1200 6 600 0" "vm2 6 1200 9 900 0" \
	"(total) 12 2400 15 1500 0") || fail "list 'vm[12]'"
ps list vm0 nosuch 'vm2*' >"$TESTTMP/l3" || fail "list PATTERN..."
rows "$TESTTMP/l3" | diff - <(printf '%s\n' "vm0 6 1200 3 300 0" "vm2 6 1200 9 900 0" \
	"(total) 12 2400 12 1200 0") || fail "list vm0 nosuch 'vm2*'"
ps list --sort=tx_packets >"$TESTTMP/ls" || fail "list --sort"
[ "$(rows "$TESTTMP/ls" | cut -d' ' -f1 | paste -sd' ')" = "vm2 vm1 vm0 (total)" ] ||
	fail "--sort=tx_packets: $(cat "$TESTTMP/ls")"
# Options before the command, -- before the patterns; equal counts by id.
ps -s rx_packets list -- 'vm*' >"$TESTTMP/ls" || fail "list -s rx_packets"
[ "$(rows "$TESTTMP/ls" | cut -d' ' -f1 | paste -sd' ')" = "vm0 vm1 vm2 (total)" ] ||
	fail "-s rx_packets: $(cat "$TESTTMP/ls")"

# ---- JSON, and show by id ----
ps list --json >"$TESTTMP/json" || fail "list --json"
ps list --json nosuch >"$TESTTMP/none" || fail "list --json, no match"
[ "$(cat "$TESTTMP/none")" = "[]" ] || fail "list --json, no match: $(cat "$TESTTMP/none")"
[ "$(wc -l <"$TESTTMP/json")" -eq 1 ] && [ "$(head -c 1 "$TESTTMP/json")" = "[" ] ||
	fail "list --json: not one array on one line"
# Consumers must take keys added later: the schema does (a second line,
# each VM with a key of the future, under other names).
sed 's/"schema_version":2,/"schema_version":2,"a_future_counter":1,/g; s/"name":"vm/"name":"new/g' \
	"$TESTTMP/json" | cat "$TESTTMP/json" - >"$TESTTMP/json2"
$CHECK json "$SCHEMA" "$TESTTMP/json2" >"$TESTTMP/json.flat" || fail "json: $(cat "$TESTTMP/json.flat")"
want "$TESTTMP/json.flat" new0.a_future_counter 1
for v in 0 1 2; do
	echo "vm$v.schema_version 2"
	echo "vm$v.tx_packets $((3 * (v + 1)))"
	for d in 0 1; do
		echo "vm$v.devices.$d.ifname \"vm${v}t$d\""
		echo "vm$v.devices.$d.ifindex $(idx "vm${v}t$d")"
		echo "vm$v.devices.$d.tx_packets $(((v + 1) * (d + 1)))"
		echo "vm$v.devices.$d.rx_bytes $((400 * (d + 1)))"
	done
done | want_lines "$TESTTMP/json.flat"

id=$(awk '$1 == "vm1.id" { print $2 }' "$TESTTMP/json.flat")
ps show "#$id" >"$TESTTMP/show" || fail "show #$id"
$CHECK show "$TESTTMP/show" >"$TESTTMP/show.flat" || fail "show: $(cat "$TESTTMP/show.flat")"
want_lines "$TESTTMP/show.flat" <<EOF
vm_vm1.id $id
device_1.ifname vm1t1
device_1.ifindex $(idx vm1t1)
device_1.tx_packets 4
EOF

# ---- Prometheus ----
ps --prometheus >"$TESTTMP/prom" || fail "--prometheus"
echo "# petrel-stat --prometheus (first 30 of $(wc -l <"$TESTTMP/prom") lines)"
head -n 30 "$TESTTMP/prom"
$CHECK prom "$TESTTMP/prom" >"$TESTTMP/prom.flat" || fail "prometheus: $(cat "$TESTTMP/prom.flat")"
echo "# promtool check metrics"
promtool check metrics <"$TESTTMP/prom" >"$TESTTMP/promtool" 2>&1
st=$?
cat "$TESTTMP/promtool"
[ $st -eq 0 ] && [ ! -s "$TESTTMP/promtool" ] || fail "promtool check metrics: status $st"
echo "promtool: status 0, no complaint"
want_lines "$TESTTMP/prom.flat" <<EOF
petrel_net_tx_packets_total{device=vm1t1,vm=vm1} 4
petrel_net_rx_bytes_total{device=vm2t0,vm=vm2} 400
petrel_net_drops_total{device=vm0t1,direction=tx,reason=tap_error,vm=vm0} 0
petrel_net_drops_total{device=vm0t1,direction=rx,reason=no_buffer,vm=vm0} 0
petrel_net_device_info{device=vm2t1,ifindex=$(idx vm2t1),ring=petrel,slot=1,vm=vm2} 1
petrel_vm_memory_bytes{vm=vm0} 0
petrel_vm_block_errors_total{vm=vm1} 0
petrel_vm_hypercalls_total{hypercall=net_write,vm=vm2} 0
petrel_vm_exit_reasons_total{reason=io,vm=vm2} 0
petrel_vm_kvm_exits_total{vm=vm0} 0
EOF
# Every family: each VM (or device) the same series, zeros included; no
# device labelled by slot; the man page lists exactly these families.
awk '{ sub(/\{.*/, "", $1); n[$1]++ } END { for (f in n) print f, n[f] }' "$TESTTMP/prom.flat" |
	sort >"$TESTTMP/families"
awk '
	{ want = 3 }				# one per VM
	$1 ~ /^petrel_net_/ { want = 6 }	# one per device
	$1 == "petrel_net_drops_total" { want = 54 }	# 9 causes
	$1 == "petrel_vm_hypercalls_total" { want = 45 }	# 15 each
	$1 == "petrel_vm_exit_reasons_total" { want = 27 }	# 9 each
	$1 == "petrel_vm_kvm_pages" { want = 9 }	# 3 sizes
	$2 != want { print; bad = 1 }
	END { exit bad }' "$TESTTMP/families" >"$TESTTMP/bad" || fail "prometheus: series per family: $(cat "$TESTTMP/bad")"
grep -q 'device=slot' "$TESTTMP/prom.flat" && fail "a device labelled by slot"
sed -n 's/^\.B \(petrel_[a-z0-9_]*\)$/\1/p' "$PETREL_SRC/man/petrel-stat.8" | sort |
	diff - <(cut -d' ' -f1 "$TESTTMP/families") || fail "the man page does not list the metrics"

# ---- watch ----
ps watch -i 0.1 -n 2 'vm[01]' >"$TESTTMP/watch" || fail "watch"
echo "# petrel-stat watch -i 0.1 -n 2 'vm[01]' (stdout not a terminal)"
cat "$TESTTMP/watch"
grep -q $'\033' "$TESTTMP/watch" && fail "watch: escape sequences on a pipe"
# Two frames: an empty line, time, header, vm0, vm1, total; no traffic.
awk '$1 ~ /^(vm|\(total)/ && ($2 != "0.0" || $4 != "0.0") { exit 1 }' "$TESTTMP/watch" ||
	fail "watch: rates without traffic"
[ "$(awk 'NF { print $1 }' "$TESTTMP/watch" | grep -v '^20' | paste -sd' ')" = \
  "NAME vm0 vm1 (total) NAME vm0 vm1 (total)" ] || fail "watch: not 2 frames of vm0, vm1 and a total"
# On a terminal: cleared once, then each frame drawn from the top.
nsenter --net="/proc/$HOLDER_PID/ns/net" script -qec "$PSTAT watch -i 0.1 -n 3" /dev/null \
	>"$TESTTMP/tty" </dev/null || fail "watch on a terminal"
echo "# petrel-stat watch on a terminal, its first frame (escapes shown)"
sed -n l "$TESTTMP/tty" | head -n 12
[ "$(grep -o $'\033\\[2J' "$TESTTMP/tty" | wc -l) $(grep -o $'\033\\[H' "$TESTTMP/tty" | wc -l)" = "1 4" ] ||
	fail "watch: not one clear, then one redraw from the top per frame"
[ "$(grep -c 'NAME ' "$TESTTMP/tty")" -eq 3 ] || fail "watch: not 3 frames on the terminal"
ps watch --json -i 0.1 -n 2 --sort=tx_bytes >"$TESTTMP/wj" || fail "watch --json"
cat "$TESTTMP/wj"
[ "$(wc -l <"$TESTTMP/wj")" -eq 2 ] || fail "watch --json: not 2 lines"
$CHECK json "$SCHEMA" "$TESTTMP/wj" >"$TESTTMP/wj.flat" || fail "watch --json: $(cat "$TESTTMP/wj.flat")"
# Equal rates (none): by id.
want_lines "$TESTTMP/wj.flat" <<EOF
watch1.vms.0.name "vm0"
watch1.vms.2.name "vm2"
watch2.total.tx_packets_per_second 0.0
EOF
holder_stop

# ---- events across rmmod and insmod ----
unload_petrel || fail "rmmod"
waiting_for "events --once to exit"
wait "$ONCE_PID"
st=$?
waiting_for ""
cat "$TESTTMP/once.err"
[ $st -eq 2 ] || fail "events --once: status $st after rmmod, expected 2"
grep -q 'family went away' "$TESTTMP/once.err" || fail "events --once: no word on stderr"
grep -qE '^\[[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}Z\] del id=[0-9]+ pid=- name=probe' "$TESTTMP/once" ||
	fail "events -t: no timestamped line"
wait_until "events to say the family went away" grep -q 'family went away' "$TESTTMP/events.err"
load_petrel
wait_until "events to say the family is back" grep -q 'family is back' "$TESTTMP/events.err"
waiting_for "a VM to come and go after insmod"
"$STAT_VMS" many 1 after </dev/null >/dev/null || fail "a VM after insmod"
wait_until "the events of a VM made after insmod" grep -q '"event":"del".*"name":"after000"' "$TESTTMP/events"
kill "$EV_PID"
wait "$EV_PID" 2>/dev/null
cat "$TESTTMP/events.err"
[ "$(wc -l <"$TESTTMP/events.err")" -eq 2 ] || fail "events: other complaints on stderr"
$CHECK json "$SCHEMA" "$TESTTMP/events" >/dev/null || fail "events: not valid JSON lines"
waiting_for "rmmod petrel at the end"
unload_petrel || fail "rmmod"
waiting_for ""
