#!/bin/bash
# Known traffic through petrel.ko's rings (7 frames of 100 bytes out, 5 of
# 200 bytes in) shows exactly in the table, in `show`, in JSON (valid under
# the schema) and in Prometheus output (which must parse).
. "$(dirname "$0")/stat-lib.bash"
load_petrel
holder_start traffic ring1 7 100 5 200
# The VM lives in the holder's network namespace: look from there.
ps() { nsenter --net="/proc/$HOLDER_PID/ns/net" "$PSTAT" "$@"; }

ps >"$TESTTMP/list" || fail "list"
cat "$TESTTMP/list"
[ "$(wc -l <"$TESTTMP/list")" -eq 3 ] || fail "list: expected one VM and the totals"
read -r name pid _ _ rxp rxb txp txb drops _ < <(sed -n 2p "$TESTTMP/list")
[ "$name $pid" = "ring1 $HOLDER_PID" ] || fail "list: name/pid $name $pid"
[ "$rxp $rxb $txp $txb $drops" = "5 1000 7 700 0" ] ||
	fail "list: rx/tx/drops $rxp $rxb $txp $txb $drops"

ps show ring1 >"$TESTTMP/show" || fail "show"
cat "$TESTTMP/show"
$CHECK show "$TESTTMP/show" >"$TESTTMP/show.flat" || fail "show output: $(cat "$TESTTMP/show.flat")"
for sec in "net_(all_devices,_petrel.ko_rings)" device_0; do
	want "$TESTTMP/show.flat" "$sec.tx_packets" 7
	want "$TESTTMP/show.flat" "$sec.tx_bytes" 700
	want "$TESTTMP/show.flat" "$sec.rx_packets" 5
	want "$TESTTMP/show.flat" "$sec.rx_bytes" 1000
	want "$TESTTMP/show.flat" "$sec.tx_drop_tap_packets" 0
	want "$TESTTMP/show.flat" "$sec.ring_error_events" 0
done
want "$TESTTMP/show.flat" vm_ring1.pid "$HOLDER_PID"
want "$TESTTMP/show.flat" device_0.ring_size_descs 64
want "$TESTTMP/show.flat" device_0.ifname stap0
# Not /sys: it shows the namespace it was mounted in.
ifindex=$(nsenter --net="/proc/$HOLDER_PID/ns/net" ip -o link show dev stap0 | cut -d: -f1)
[ -n "$ifindex" ] || fail "no ifindex for stap0"
want "$TESTTMP/show.flat" device_0.ifindex "$ifindex"

ps --json >"$TESTTMP/json" || fail "--json"
ps show ring1 --json >"$TESTTMP/json1" || fail "show --json"
cat "$TESTTMP/json"
for f in json json1; do
	$CHECK json "$SCHEMA" "$TESTTMP/$f" >"$TESTTMP/$f.flat" ||
		fail "$f: $(cat "$TESTTMP/$f.flat")"
	want "$TESTTMP/$f.flat" ring1.pid "$HOLDER_PID"
	want "$TESTTMP/$f.flat" ring1.name '"ring1"'
	for p in ring1 ring1.net ring1.devices.0; do
		want "$TESTTMP/$f.flat" $p.tx_packets 7
		want "$TESTTMP/$f.flat" $p.tx_bytes 700
		want "$TESTTMP/$f.flat" $p.rx_packets 5
		want "$TESTTMP/$f.flat" $p.rx_bytes 1000
	done
	want "$TESTTMP/$f.flat" ring1.drop_packets 0
	want "$TESTTMP/$f.flat" ring1.devices.0.ring_size_descs 64
	want "$TESTTMP/$f.flat" ring1.devices.0.ifname '"stap0"'
	want "$TESTTMP/$f.flat" ring1.devices.0.ifindex "$ifindex"
done

ps --prometheus >"$TESTTMP/prom" || fail "--prometheus"
head -n 40 "$TESTTMP/prom"
$CHECK prom "$TESTTMP/prom" >"$TESTTMP/prom.flat" || fail "prometheus: $(cat "$TESTTMP/prom.flat")"
want "$TESTTMP/prom.flat" 'petrel_net_tx_packets_total{device=stap0,vm=ring1}' 7
want "$TESTTMP/prom.flat" 'petrel_net_tx_bytes_total{device=stap0,vm=ring1}' 700
want "$TESTTMP/prom.flat" 'petrel_net_rx_packets_total{device=stap0,vm=ring1}' 5
want "$TESTTMP/prom.flat" 'petrel_net_rx_bytes_total{device=stap0,vm=ring1}' 1000
want "$TESTTMP/prom.flat" 'petrel_net_drops_total{device=stap0,direction=tx,reason=tap_error,vm=ring1}' 0
want "$TESTTMP/prom.flat" "petrel_net_device_info{device=stap0,ifindex=$ifindex,ring=petrel,slot=0,vm=ring1}" 1
want "$TESTTMP/prom.flat" "petrel_vm_info{id=$(awk '$1 == "vm_ring1.id" {print $2}' "$TESTTMP/show.flat"),pid=$HOLDER_PID,vm=ring1}" 1

# watch: two samples of rates, no traffic in between.
ps watch -i 0.2 -n 2 >"$TESTTMP/watch" || fail "watch"
cat "$TESTTMP/watch"
[ "$(grep -c '^ring1 ' "$TESTTMP/watch")" -eq 2 ] || fail "watch: expected 2 samples"
awk '$1 == "ring1" && ($2 != "0.0" || $4 != "0.0") { exit 1 }' "$TESTTMP/watch" ||
	fail "watch: rates without traffic"
holder_stop
unload_petrel || fail "rmmod"
