#!/bin/bash
# petrel-stat's errors and exit statuses: no module (2, saying how to
# check and load it), no permission (3), unknown VM (1), bad usage (1),
# each with one line naming the problem.
. "$(dirname "$0")/stat-lib.bash"

# expect_status WANT REGEX CMD...: CMD exits WANT, stderr one line matching.
# Shell builtins only besides CMD: each process costs under emulation.
expect_status() {
	local want=$1 re=$2 st err
	shift 2
	"$@" >"$TESTTMP/out" 2>"$TESTTMP/err"
	st=$?
	mapfile -t err <"$TESTTMP/err"
	printf '%s\n' "${err[@]}"
	[ "$st" -eq "$want" ] || fail "$*: exit status $st, expected $want"
	[ "${#err[@]}" -eq 1 ] || fail "$*: not one line on stderr"
	[[ ${err[0]} =~ $re ]] || fail "$*: stderr does not match $re"
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
expect_status 1 '--interval 0: not a number' "$PSTAT" watch -i 0
expect_status 1 '--count x: not a positive count' "$PSTAT" watch -n x
expect_status 1 '--interval 0.001: not a number' "$PSTAT" watch --interval=0.001
expect_status 1 "option '-i' needs a value" "$PSTAT" watch -i
expect_status 1 "unknown option '-x'" "$PSTAT" -jx
# Options that do not apply to the command, conflicting formats: errors.
expect_status 1 '--prometheus does not apply to watch' "$PSTAT" watch --prometheus
expect_status 1 '--timestamp does not apply to list' "$PSTAT" -t
expect_status 1 '--interval does not apply to list' "$PSTAT" list --interval=2
expect_status 1 '--once does not apply to show' "$PSTAT" show x --once
expect_status 1 '--sort does not apply to events' "$PSTAT" events --sort=rx_bytes
expect_status 1 '--json and --prometheus conflict' "$PSTAT" list -j --prometheus
expect_status 1 "--sort: unknown key 'bogus'" "$PSTAT" --sort=bogus
expect_status 1 'show #0: not a VM id' "$PSTAT" show '#0'
expect_status 1 'show #x1: not a VM id' "$PSTAT" show '#x1'
expect_status 1 "unexpected argument 'y'" "$PSTAT" show x y
expect_status 1 "unexpected argument 'x'" "$PSTAT" events x
expect_status 1 'no VM with id 4000000000' "$PSTAT" show '#4000000000'

# Without CAP_NET_ADMIN: as nobody, and as root with the capability dropped.
expect_status 3 'permission denied.*CAP_NET_ADMIN' \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$PSTAT"
expect_status 3 'permission denied.*CAP_NET_ADMIN' \
	setpriv --inh-caps=-all --bounding-set=-net_admin "$PSTAT" show x
expect_status 3 'permission denied.*CAP_NET_ADMIN' \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$PSTAT" events

# With the module and nothing running: a header and a zero total; an
# empty array (ip -j prints one too).
"$PSTAT" >"$TESTTMP/out" || fail "empty list failed"
[ "$(wc -l <"$TESTTMP/out")" -eq 2 ] && grep -qE '^\(total\) +- +- +0 +0 +0 +0 +0 +0 +0$' "$TESTTMP/out" ||
	fail "empty list is not a header and a zero total: $(cat "$TESTTMP/out")"
"$PSTAT" --json >"$TESTTMP/out" && [ "$(cat "$TESTTMP/out")" = "[]" ] || fail "empty --json is not []"
"$PSTAT" list -- --json >"$TESTTMP/out" && [ "$(wc -l <"$TESTTMP/out")" -eq 2 ] ||
	fail "-- did not end the options"
"$PSTAT" --help | grep -q 'Exit status' || fail "--help"
unload_petrel || fail "rmmod"
