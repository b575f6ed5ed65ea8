#!/bin/bash
# petrel-stat's errors and exit statuses: no module (2, saying how to
# check and load it), no permission (3), unknown VM (1), bad usage (1),
# each with one line naming the problem.
. "$(dirname "$0")/stat-lib.bash"

# expect_status WANT REGEX CMD...: CMD exits WANT, stderr one line matching.
expect_status() {
	local want=$1 re=$2 st
	shift 2
	"$@" >"$TESTTMP/out" 2>"$TESTTMP/err"
	st=$?
	cat "$TESTTMP/err"
	[ "$st" -eq "$want" ] || fail "$*: exit status $st, expected $want"
	[ "$(wc -l <"$TESTTMP/err")" -eq 1 ] || fail "$*: not one line on stderr"
	grep -qE -- "$re" "$TESTTMP/err" || fail "$*: stderr does not match $re"
}

if grep -q '^petrel ' /proc/modules; then
	rmmod petrel || fail "a previous petrel is still loaded and busy"
fi
# Not loaded: the line says how to check the module and load it.
nomod="petrel.ko is not loaded .*'dkms status petrel' .*'modprobe petrel'"
expect_status 2 "$nomod" "$PSTAT"
expect_status 2 "$nomod" "$PSTAT" show x
expect_status 2 "$nomod" "$PSTAT" events

load_petrel
expect_status 1 "no VM named 'nosuchvm'" "$PSTAT" show nosuchvm
expect_status 1 "no VM named" "$PSTAT" show "$(printf 'x%.0s' $(seq 40))"
expect_status 1 "unknown option '--bogus'" "$PSTAT" --bogus
expect_status 1 "unknown command 'frob'" "$PSTAT" frob
expect_status 1 'show needs a VM name' "$PSTAT" show
expect_status 1 '-i 0: not a number' "$PSTAT" watch -i 0
expect_status 1 '-n x: not a positive count' "$PSTAT" watch -n x

# Without CAP_NET_ADMIN: as nobody, and as root with the capability dropped.
expect_status 3 'permission denied.*CAP_NET_ADMIN' \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$PSTAT"
expect_status 3 'permission denied.*CAP_NET_ADMIN' \
	setpriv --inh-caps=-all --bounding-set=-net_admin "$PSTAT" show x
expect_status 3 'permission denied.*CAP_NET_ADMIN' \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$PSTAT" events

# With the module and nothing running: a header and no VM.
"$PSTAT" >"$TESTTMP/out" || fail "empty list failed"
[ "$(wc -l <"$TESTTMP/out")" -eq 1 ] || fail "empty list is not just a header"
"$PSTAT" --json >"$TESTTMP/out" && [ ! -s "$TESTTMP/out" ] || fail "empty --json not empty"
"$PSTAT" --help | grep -q 'Exit status' || fail "--help"
unload_petrel || fail "rmmod"
