#!/bin/bash
# albatross finds the tender as solo5-hvt.2 or solo5-hvt and accepts it only
# if --version (stdout and stderr together, status 0) has a line that is
# exactly "ABI version 2". petrel prints its version line, then that line,
# whatever name it is run by.
. "$(dirname "$0")/lib/guest.sh"
run_tender 0 --version
expect_lines 2
expect '^petrel [0-9]'
[ "$(sed -n 2p <<<"$out")" = "ABI version 2" ] || fail "second line is not exactly 'ABI version 2'"
ln -s "$PETREL" "$TESTTMP/solo5-hvt"
out=$("$TESTTMP/solo5-hvt" --version 2>&1) || fail "solo5-hvt --version: status $?"
echo "as solo5-hvt: $out"
# albatross's test: some line, split on spaces, is "ABI" "version" "2".
awk '$0 == "ABI version 2" { ok = 1 } END { exit !ok }' <<<"$out" ||
	fail "no line 'ABI version 2' when run as solo5-hvt"
