#!/bin/bash
# A guest's block I/O (blk.hvt: 256 blocks of 4096 bytes written and read
# back, 9 requests refused) in the final counters its destroy event
# carries, as JSON valid under the schema; stdout's size is console_bytes.
# The bindings refuse six of the nine in the guest, as a guest on Solo5's
# tender must (misaligned, partial, bad handles, buffer outside RAM): the
# tender sees and counts the other three (past capacity, wrapping offset).
# Its own refusals of all nine kinds are tested by hostile.hvt and the unit
# tests.
. "$(dirname "$0")/stat-lib.bash"
load_petrel

"$PSTAT" events --json >"$TESTTMP/events" 2>"$TESTTMP/events.err" &
EV_PID=$!
events_joined '"event":"del".*"name":"probe'

truncate -s 1M "$TESTTMP/disk.img"
"$PETREL" --mem=32 --name=disk1 --block:storage="$TESTTMP/disk.img" \
	--block-sector-size:storage=4096 -- "$GUESTS/blk.hvt" \
	>"$TESTTMP/console" || fail "blk.hvt: $(cat "$TESTTMP/console")"
cat "$TESTTMP/console"
wait_until "the destroy event of disk1" grep -q '"event":"del".*"name":"disk1"' "$TESTTMP/events"
kill "$EV_PID"
grep '"name":"disk1"' "$TESTTMP/events" >"$TESTTMP/del" || fail "no destroy event for disk1"
$CHECK json "$SCHEMA" "$TESTTMP/del" >"$TESTTMP/d" || fail "event: $(cat "$TESTTMP/d")"
cat "$TESTTMP/d"
want "$TESTTMP/d" disk1.event '"del"'
want "$TESTTMP/d" disk1.tender.block_writes 256
want "$TESTTMP/d" disk1.tender.block_write_bytes $((256 * 4096))
want "$TESTTMP/d" disk1.tender.block_reads 257
want "$TESTTMP/d" disk1.tender.block_read_bytes $((257 * 4096))
want "$TESTTMP/d" disk1.tender.block_errors 3
want "$TESTTMP/d" disk1.tender.hypercalls.block_write 257
want "$TESTTMP/d" disk1.tender.hypercalls.block_read 259
want "$TESTTMP/d" disk1.tender.hypercalls.halt 1
want "$TESTTMP/d" disk1.tender.console_bytes "$(stat -c %s "$TESTTMP/console")"
want "$TESTTMP/d" disk1.tender.guest_tx_packets 0
want "$TESTTMP/d" disk1.memory_bytes $((32 << 20))
unload_petrel || fail "rmmod"
