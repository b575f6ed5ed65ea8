#!/bin/bash
# 100 VMs: each listed once by name in the table, JSON (valid) and
# Prometheus output, and with --json events for every create and destroy.
. "$(dirname "$0")/stat-lib.bash"
load_petrel

"$PSTAT" events --json >"$TESTTMP/events" 2>"$TESTTMP/events.err" &
EV_PID=$!
# Joined once it hears a probe VM come and go.
events_joined '"event":"del".*"name":"probe'

holder_start many 100 m
seq -f 'm%03g' 0 99 >"$TESTTMP/names"

"$PSTAT" >"$TESTTMP/list" || fail "list"
head -n 3 "$TESTTMP/list"
[ "$(wc -l <"$TESTTMP/list")" -eq 102 ] || fail "list: $(wc -l <"$TESTTMP/list") lines, expected 102"
sed '1d;$d' "$TESTTMP/list" | awk '{ print $1 }' | diff - "$TESTTMP/names" || fail "list: names"
sed '1d;$d' "$TESTTMP/list" | awk -v p="$HOLDER_PID" '$2 != p { exit 1 }' || fail "list: pids"
tail -n 1 "$TESTTMP/list" | grep -q '^(total) ' || fail "list: no totals row"
"$PSTAT" list 'm04?' >"$TESTTMP/l4" || fail "list 'm04?'"
sed '1d;$d' "$TESTTMP/l4" | awk '{ print $1 }' | diff - <(seq -f 'm%03g' 40 49) || fail "list 'm04?'"

"$PSTAT" --json >"$TESTTMP/json" || fail "--json"
[ "$(wc -l <"$TESTTMP/json")" -eq 1 ] || fail "--json: not one array"
python3 -c 'import json, sys; sys.exit(len(json.load(open(sys.argv[1]))) != 100)' "$TESTTMP/json" ||
	fail "--json: not 100 VMs"
$CHECK json "$SCHEMA" "$TESTTMP/json" >"$TESTTMP/json.flat" || fail "json: $(cat "$TESTTMP/json.flat")"
awk '$1 ~ /^m[0-9]+\.name$/ { gsub(/"/, "", $2); print $2 }' "$TESTTMP/json.flat" |
	diff - "$TESTTMP/names" || fail "--json: names"

"$PSTAT" --prometheus >"$TESTTMP/prom" || fail "--prometheus"
$CHECK prom "$TESTTMP/prom" >"$TESTTMP/prom.flat" || fail "prometheus: $(cat "$TESTTMP/prom.flat")"
sed -nE 's/^petrel_vm_info\{id=[0-9]+,pid=[0-9]+,vm=([^}]*)\} 1$/\1/p' "$TESTTMP/prom.flat" |
	diff - "$TESTTMP/names" || fail "prometheus: names"

"$PSTAT" show m042 >/dev/null || fail "show m042"
holder_stop

dels() { [ "$(grep -c '"event":"del".*"name":"m' "$TESTTMP/events")" -ge 100 ]; }
wait_until "the destroy events of the 100 VMs" dels
kill "$EV_PID"
[ -s "$TESTTMP/events.err" ] && fail "events: $(cat "$TESTTMP/events.err")"
grep -v '"name":"probe' "$TESTTMP/events" >"$TESTTMP/ev" || true
grep -c '' "$TESTTMP/ev"
$CHECK json "$SCHEMA" "$TESTTMP/events" >/dev/null || fail "events: not valid JSON lines"
[ "$(grep -c '"event":"new"' "$TESTTMP/ev")" -ge 100 ] || fail "fewer than 100 create events"
grep '"event":"del"' "$TESTTMP/ev" | sed -E 's/.*"name":"([^"]*)".*/\1/' | sort |
	diff - "$TESTTMP/names" || fail "destroy events: names"
unload_petrel || fail "rmmod"
