#!/bin/bash
# The tender's PID as petrel-stat sees it from a PID namespace of its own,
# as in a container (unshare --pid --fork --mount-proc): a tender outside
# has no PID there ("-" in the table and in `show`, null in JSON, no pid
# label in Prometheus), a tender inside shows the PID it has there; from
# the initial namespace both show their real PIDs.
. "$(dirname "$0")/stat-lib.bash"
load_petrel
holder_start many 1 outer

# Inside: a tender (stat_vms) and petrel-stat. The tender holds its VM until
# fd 8's fifo closes; the outside keeps the only writer.
cat >"$TESTTMP/inner.sh" <<EOF
"$STAT_VMS" many 1 inner <"$TESTTMP/inner.fifo" >"$TESTTMP/inner.out" 2>&1 &
echo \$! >"$TESTTMP/inner.pid"
until grep -q '^ready' "$TESTTMP/inner.out"; do sleep 0.05; done
"$PSTAT" >"$TESTTMP/in.list" &&
"$PSTAT" --json >"$TESTTMP/in.json" &&
"$PSTAT" --prometheus >"$TESTTMP/in.prom" &&
"$PSTAT" show outer000 >"$TESTTMP/in.show"
echo "status \$?" >"$TESTTMP/inner.done"
wait
EOF
mkfifo "$TESTTMP/inner.fifo"
exec 8<>"$TESTTMP/inner.fifo"
unshare --pid --fork --mount-proc bash "$TESTTMP/inner.sh" 8>&- &
INNER=$!
wait_until "petrel-stat in the new PID namespace to finish" test -s "$TESTTMP/inner.done"
cat "$TESTTMP/inner.out" "$TESTTMP/in.list"
[ "$(cat "$TESTTMP/inner.done")" = "status 0" ] || fail "petrel-stat inside: $(cat "$TESTTMP/inner.done")"
ipid=$(cat "$TESTTMP/inner.pid")

# Inside: no PID for the outer tender, the inner one's own.
awk '$1 == "outer000" { print $2 }' "$TESTTMP/in.list" | grep -qx -- - ||
	fail "list inside: the outer tender has a PID"
awk '$1 == "inner000" { print $2 }' "$TESTTMP/in.list" | grep -qx "$ipid" ||
	fail "list inside: the inner tender is not PID $ipid"
$CHECK show "$TESTTMP/in.show" >"$TESTTMP/in.show.flat" || fail "show: $(cat "$TESTTMP/in.show.flat")"
want "$TESTTMP/in.show.flat" vm_outer000.pid -
$CHECK json "$SCHEMA" "$TESTTMP/in.json" >"$TESTTMP/in.json.flat" ||
	fail "json: $(cat "$TESTTMP/in.json.flat")"
want "$TESTTMP/in.json.flat" outer000.pid null
want "$TESTTMP/in.json.flat" inner000.pid "$ipid"
$CHECK prom "$TESTTMP/in.prom" >"$TESTTMP/in.prom.flat" || fail "prometheus: $(cat "$TESTTMP/in.prom.flat")"
grep -qE '^petrel_vm_info\{id=[0-9]+,vm=outer000\} 1$' "$TESTTMP/in.prom.flat" ||
	fail "prometheus inside: the outer tender has a pid label"
grep -qE "^petrel_vm_info\\{id=[0-9]+,pid=$ipid,vm=inner000\\} 1$" "$TESTTMP/in.prom.flat" ||
	fail "prometheus inside: the inner tender is not PID $ipid"

# Outside, in the initial namespace: both real PIDs.
rpid=$(pgrep -xf "$STAT_VMS many 1 inner") || fail "the inner tender is not running"
grep -qE "^NSpid:[[:space:]]+$rpid[[:space:]]+$ipid$" "/proc/$rpid/status" ||
	fail "PID $rpid is not the inner tender's ($ipid inside)"
"$PSTAT" >"$TESTTMP/list" || fail "list"
cat "$TESTTMP/list"
awk '$1 == "outer000" { print $2 }' "$TESTTMP/list" | grep -qx "$HOLDER_PID" ||
	fail "list outside: the outer tender is not PID $HOLDER_PID"
awk '$1 == "inner000" { print $2 }' "$TESTTMP/list" | grep -qx "$rpid" ||
	fail "list outside: the inner tender is not PID $rpid"

exec 8>&-
wait "$INNER" || fail "the new PID namespace's tender failed: $(cat "$TESTTMP/inner.out")"
holder_stop
unload_petrel || fail "rmmod"
