#!/bin/bash
# A real guest (net.hvt on a tap) named with --name: 10 UDP datagrams of
# 100 bytes echoed show exactly in the tender's counters (what the guest
# sent and got) in show, JSON and Prometheus output, and match what the
# host's tap saw; create and destroy events arrive; a taken --name is
# refused and the image's file name is the default. On the hypercall path
# (--net-ring=off), where the tender sees every frame; on the rings only
# petrel.ko does, and 20-ring-traffic checks its counters.
. "$(dirname "$0")/stat-lib.bash"
. "$PETREL_SRC/selftests/kvm/lib/net.sh"
load_petrel
ps() { in_ns "$PSTAT" "$@"; }

# No IPv6 and a static neighbour: the only frames on the tap are ours.
in_ns sysctl -qw net.ipv6.conf.default.disable_ipv6=1 \
	net.ipv6.conf.all.disable_ipv6=1 || fail "sysctl"
add_tap tap0 10.0.0.1/24
in_ns ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev tap0 nud permanent ||
	fail "static neighbour"

# Events: listen, and make sure the listener has joined before going on.
ps events >"$TESTTMP/events" 2>"$TESTTMP/events.err" &
EV_PID=$!
events_joined '^del .*name=probe' in_ns

in_ns "$PETREL" --mem=32 --name=guest1 --net-ring=off --net:service0=tap0 \
	--net-mac:service0=02:00:00:00:00:02 -- "$GUESTS/net.hvt" 10.0.0.2 \
	>"$TESTTMP/console" 2>"$TESTTMP/stderr" &
TENDER_PID=$!
waiting_for "guest1 to print 'net: ready'"
until grep -q 'net: ready' "$TESTTMP/console"; do
	kill -0 "$TENDER_PID" 2>/dev/null || break
	sleep 0.05
done
grep -q 'net: ready' "$TESTTMP/console" || fail "guest did not come up: $(cat "$TESTTMP/stderr")"

in_ns python3 - <<'PY' || fail "UDP echo"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.bind(("10.0.0.1", 0))
for i in range(10):
    data = bytes([i]) * 100
    s.sendto(data, ("10.0.0.2", 7))
    got, _ = s.recvfrom(4096)
    if got != data:
        sys.exit("datagram %d came back wrong" % i)
print("10 datagrams echoed")
PY

frame=$((14 + 20 + 8 + 100))
console=$(stat -c %s "$TESTTMP/console")
tap_rx=$(in_ns cat /sys/class/net/tap0/statistics/rx_packets)
tap_tx=$(in_ns cat /sys/class/net/tap0/statistics/tx_packets)
echo "console $console bytes; tap saw rx $tap_rx tx $tap_tx"
[ "$tap_rx $tap_tx" = "10 10" ] || fail "the tap saw other traffic"

ps show guest1 >"$TESTTMP/show" || fail "show"
cat "$TESTTMP/show"
$CHECK show "$TESTTMP/show" >"$TESTTMP/show.flat" || fail "show: $(cat "$TESTTMP/show.flat")"
# `ip netns exec` forks: the tender is its child, and the VM's pid.
tpid=$(awk '$1 == "vm_guest1.pid" { print $2 }' "$TESTTMP/show.flat")
[ "$(readlink "/proc/$tpid/exe")" = "$(readlink -f "$PETREL")" ] ||
	fail "pid $tpid is not the tender"
want "$TESTTMP/show.flat" tender.guest_tx_packets "$tap_rx"
want "$TESTTMP/show.flat" tender.guest_tx_bytes $((10 * frame))
want "$TESTTMP/show.flat" tender.guest_rx_packets "$tap_tx"
want "$TESTTMP/show.flat" tender.guest_rx_bytes $((10 * frame))
want "$TESTTMP/show.flat" tender.console_bytes "$console"
want "$TESTTMP/show.flat" tender.console_writes 1
want "$TESTTMP/show.flat" tender.memory_bytes $((32 << 20))
want "$TESTTMP/show.flat" tender.block_reads 0
want "$TESTTMP/show.flat" hypercalls.net_write 10
want "$TESTTMP/show.flat" hypercalls.puts 1
want "$TESTTMP/show.flat" "net_(all_devices,_petrel.ko_rings).tx_packets" 0
exits=$(awk '$1 == "tender.exits" { print $2 }' "$TESTTMP/show.flat")
io=$(awk '$1 == "tender.io_exits" { print $2 }' "$TESTTMP/show.flat")
want "$TESTTMP/show.flat" "exit_reasons.io" "$io"
hcs=$(awk '$1 ~ /^hypercalls\./ { n += $2 } END { print n }' "$TESTTMP/show.flat")
[ "$io" -ge "$hcs" ] && [ "$exits" -ge "$io" ] ||
	fail "exits $exits, io exits $io, hypercalls $hcs do not add up"
start=$(awk '$1 == "tender.start_time_unix_ns" { print $2 }' "$TESTTMP/show.flat")
now=$(date +%s%N)
[ "$start" -gt 0 ] && [ "$start" -le "$now" ] || fail "start time $start not before now $now"
grep -q '^kvm$' "$TESTTMP/show" && ! grep -q '^  exits  *0$' <(sed -n '/^kvm$/,$p' "$TESTTMP/show") ||
	fail "KVM's statistics missing or zero"

ps show guest1 --json >"$TESTTMP/json" || fail "--json"
$CHECK json "$SCHEMA" "$TESTTMP/json" >"$TESTTMP/json.flat" || fail "json: $(cat "$TESTTMP/json.flat")"
want "$TESTTMP/json.flat" guest1.tender.guest_tx_packets 10
want "$TESTTMP/json.flat" guest1.tender.guest_tx_bytes $((10 * frame))
want "$TESTTMP/json.flat" guest1.tender.guest_rx_packets 10
want "$TESTTMP/json.flat" guest1.tender.guest_rx_bytes $((10 * frame))
want "$TESTTMP/json.flat" guest1.tx_packets 10
want "$TESTTMP/json.flat" guest1.rx_bytes $((10 * frame))
want "$TESTTMP/json.flat" guest1.memory_bytes $((32 << 20))
want "$TESTTMP/json.flat" guest1.tender.console_bytes "$console"
want "$TESTTMP/json.flat" guest1.tender.hypercalls.net_write 10

ps --prometheus >"$TESTTMP/prom" || fail "--prometheus"
$CHECK prom "$TESTTMP/prom" >"$TESTTMP/prom.flat" || fail "prometheus: $(cat "$TESTTMP/prom.flat")"
want "$TESTTMP/prom.flat" 'petrel_vm_guest_tx_packets_total{vm=guest1}' 10
want "$TESTTMP/prom.flat" 'petrel_vm_guest_tx_bytes_total{vm=guest1}' $((10 * frame))
want "$TESTTMP/prom.flat" 'petrel_vm_guest_rx_packets_total{vm=guest1}' 10
want "$TESTTMP/prom.flat" 'petrel_vm_console_bytes_total{vm=guest1}' "$console"
want "$TESTTMP/prom.flat" 'petrel_vm_memory_bytes{vm=guest1}' $((32 << 20))
want "$TESTTMP/prom.flat" 'petrel_vm_hypercalls_total{hypercall=net_write,vm=guest1}' 10
# The tender's start time, to the nanosecond.
want "$TESTTMP/prom.flat" 'petrel_vm_start_time_seconds{vm=guest1}' \
	"$((start / 1000000000)).$(printf %09d $((start % 1000000000)))"
# The guest keeps polling: exits are compared within one snapshot, where
# those by reason add up to all.
exits=$(awk '$1 == "petrel_vm_exits_total{vm=guest1}" { print $2 }' "$TESTTMP/prom.flat")
byreason=$(awk '$1 ~ /^petrel_vm_exit_reasons_total\{/ { n += $2 } END { print n }' "$TESTTMP/prom.flat")
[ "$exits" -gt 0 ] && [ "$byreason" = "$exits" ] ||
	fail "prometheus: exits by reason add up to $byreason, not $exits"

# The list: one line for the guest, traffic as the host saw it.
ps >"$TESTTMP/list" || fail "list"
cat "$TESTTMP/list"
read -r name pid _ mem rxp rxb txp txb drops _ < <(grep '^guest1 ' "$TESTTMP/list")
[ "$name $pid $mem $rxp $rxb $txp $txb $drops" = \
  "guest1 $tpid 32 10 $((10 * frame)) 10 $((10 * frame)) 0" ] ||
	fail "list line: $name $pid $mem $rxp $rxb $txp $txb $drops"

# A name in use is refused, before anything runs.
out=$(in_ns "$PETREL" --name=guest1 "$GUESTS/hello.hvt" 2>&1)
st=$?
echo "$out"
[ $st -eq 1 ] && grep -q 'guest1: a VM of that name is already running' <<<"$out" ||
	fail "a taken --name was not refused (status $st)"
# Without --name, the image's file name.
in_ns "$PETREL" "$GUESTS/hello.hvt" >/dev/null || fail "hello"

kill "$tpid"
wait "$TENDER_PID" 2>/dev/null
TENDER_PID=
wait_until "the destroy event of guest1" grep -q '^del .*name=guest1' "$TESTTMP/events"
kill "$EV_PID"
cat "$TESTTMP/events"
# Events carry no pid: their readers may be in any PID namespace.
grep -qE "^new id=[0-9]+ pid=- name=-$" "$TESTTMP/events" || fail "no create event"
grep -qE "^del id=[0-9]+ pid=- name=guest1$" "$TESTTMP/events" || fail "no destroy event for guest1"
grep -qE "^del id=[0-9]+ pid=- name=hello.hvt$" "$TESTTMP/events" || fail "no destroy event for hello.hvt"
gid=$(sed -nE 's/^del id=([0-9]+) pid=- name=guest1$/\1/p' "$TESTTMP/events")
grep -qE "^new id=$gid pid=- name=-$" "$TESTTMP/events" ||
	fail "no create event for guest1 (id $gid)"
