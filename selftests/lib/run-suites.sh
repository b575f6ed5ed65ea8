#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# run-suites.sh: the test runner, run inside the test VM by vm-init.sh (or
# directly on a host with /dev/kvm by `check.sh --host`). Prints KTAP.
#
#   run-suites.sh --src DIR --build DIR [--vm] [--installed] [--nonce N]
#                 [--suites a,b] [--tests x,y]
#   run-suites.sh --src DIR --list [--suites a,b] [--tests x,y]
#
# A suite is a directory selftests/<suite>/ of executable *.sh scripts. Each
# suite's tests are: kvm-works (proves /dev/kvm runs a guest), every script
# (filtered by --tests), then dmesg-clean (no kernel warning, BUG, KASAN,
# Oops, slub corruption report or stack dump appeared during the suite).
# --list prints "suite<TAB>test" lines in run order; the host uses it to
# know what to expect, so its results stay complete even if the VM dies.
# The pkg suite runs only when asked for (install-test.sh does, with
# --installed: the tests get the Debian packages' tender, module and
# bindings instead of the build tree's; see test-env.sh).
#
# A test's timeout exists only to turn a hang into a failure, so it is
# generous: 300 s, about ten times what a typical test takes under TCG
# (PETREL_TEST_TIMEOUT, passed with vm.sh --env, raises it). A script that
# needs longer says so in a line "# timeout: SECONDS" near its top
# ("# timeout: soak+SECONDS" means SOAK_SECONDS plus that); the larger of
# the two applies. Tests wait for events, never for a fixed time, and say
# what they wait for (waiting_for in selftests/lib/wait.sh): a timed-out
# test's report names it. Scripts run in a fresh scratch directory, with:
#   PETREL          the tender          GUESTS          directory of *.hvt
#   PETREL_ELFTOOL  manifest tool       PETREL_KO       petrel.ko for this kernel
#   TESTTMP         scratch directory   KVER            uname -r
#   PETREL_SRC      source tree         PETREL_BUILD    build tree
#   SOAK_SECONDS    how long a soak test runs (petrel_soak_seconds=N on the
#                   VM's kernel command line; default 600)
# Exit 0 = pass, 4 = skip (the last line starting "SKIP: " is the reason),
# anything else = fail. Output becomes KTAP diagnostic lines.
set -uo pipefail

KNOWN_SUITES="kvm kmod stat bench pkg soak solo5"
# Suites run only when asked for by name (make soak, install-test.sh),
# never by default.
OPT_IN_SUITES="pkg soak solo5"
# PETREL_TEST_TIMEOUT (vm.sh --env) raises it for full-size runs.
TEST_TIMEOUT=${PETREL_TEST_TIMEOUT:-300}
case "$TEST_TIMEOUT" in ''|*[!0-9]*) TEST_TIMEOUT=300 ;; esac
MAX_DIAG_LINES=200
DMESG_BAD='WARNING:|BUG:|BUG |KASAN|UBSAN|Oops|general protection|Redzone|Poison overwritten|Object padding|Freepointer|list_add corruption|list_del corruption|refcount_t:|Call Trace:|soft lockup|blocked for more than'

src="" build="" vm=0 installed=0 nonce="" suites="" tests="" list=0
while [ $# -gt 0 ]; do
	case "$1" in
	--src) src=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--vm) vm=1; shift ;;
	--installed) installed=1; shift ;;
	--nonce) nonce=$2; shift 2 ;;
	--suites) suites=$2; shift 2 ;;
	--tests) tests=$2; shift 2 ;;
	--list) list=1; shift ;;
	*) echo "run-suites.sh: unknown argument: $1" >&2; exit 1 ;;
	esac
done
[ -n "$src" ] || { echo "run-suites.sh: --src is required" >&2; exit 1; }

# ---- what to run ----
if [ -z "$suites" ]; then
	# kvm always runs (its kvm-works and dmesg-clean mean something even
	# before it has scripts); other suites once they have scripts.
	suites=kvm
	for s in $KNOWN_SUITES; do
		[ "$s" = kvm ] && continue
		case " $OPT_IN_SUITES " in *" $s "*) continue ;; esac
		compgen -G "$src/selftests/$s/*.sh" >/dev/null && suites="$suites,$s"
	done
fi
IFS=, read -r -a suite_list <<<"$suites"
IFS=, read -r -a test_filter <<<"$tests"

wanted() {
	local t
	[ ${#test_filter[@]} -eq 0 ] && return 0
	for t in "${test_filter[@]}"; do [ "$t" = "$1" ] && return 0; done
	return 1
}

# scripts SUITE: the suite's selected scripts, sorted, one path a line.
scripts() {
	local f
	for f in "$src/selftests/$1"/*.sh; do
		[ -e "$f" ] || continue
		f=${f##*/}
		wanted "${f%.sh}" && printf '%s\n' "$src/selftests/$1/$f"
	done
}

for s in "${suite_list[@]}"; do
	case " $KNOWN_SUITES " in
	*" $s "*) ;;
	*) echo "run-suites.sh: unknown suite: $s (known: $KNOWN_SUITES)" >&2; exit 1 ;;
	esac
done
for t in "${test_filter[@]}"; do
	found=0
	for s in "${suite_list[@]}"; do
		[ -e "$src/selftests/$s/$t.sh" ] && found=1
	done
	[ $found = 1 ] || { echo "run-suites.sh: no test named $t in suites: $suites" >&2; exit 1; }
done
[ ${#suite_list[@]} -gt 0 ] || { echo "run-suites.sh: no test suites found under $src/selftests" >&2; exit 1; }

if [ $list = 1 ]; then
	for s in "${suite_list[@]}"; do
		printf '%s\tkvm-works\n' "$s"
		scripts "$s" | while read -r f; do
			f=${f##*/}
			printf '%s\t%s\n' "$s" "${f%.sh}"
		done
		printf '%s\tdmesg-clean\n' "$s"
	done
	exit 0
fi
[ -n "$build" ] || { echo "run-suites.sh: --build is required" >&2; exit 1; }

# ---- running ----
. "$(dirname "${BASH_SOURCE[0]}")/test-env.sh"
test_env "$src" "$build" "$installed"
work=$(mktemp -d "${TMPDIR:-/tmp}/petrel-run.XXXXXX")
trap 'rm -rf "$work"' EXIT

kmsg() { echo "petrel-selftests: $*" >/dev/kmsg 2>/dev/null; }

# diag FILE: the file as KTAP diagnostic lines of a nested test.
diag() {
	local n
	n=$(wc -l <"$1")
	if [ "$n" -gt $MAX_DIAG_LINES ]; then
		echo "  # ... $((n - MAX_DIAG_LINES)) earlier lines left out"
	fi
	tail -n $MAX_DIAG_LINES "$1" | tr -d '\r' | sed 's/^/  # /'
}

SOAK_SECONDS=${petrel_soak_seconds:-${SOAK_SECONDS:-600}}
case $SOAK_SECONDS in ''|*[!0-9]*) SOAK_SECONDS=600 ;; esac
export SOAK_SECONDS

# script_timeout PATH: the script's own "# timeout:" line or TEST_TIMEOUT,
# whichever is larger.
script_timeout() {
	local v
	v=$(sed -n '1,30s/^# timeout: \(soak+\)\{0,1\}\([0-9][0-9]*\)$/\1\2/p' "$1" | head -n 1)
	case $v in
	'') v=$TEST_TIMEOUT ;;
	soak+*) v=$((SOAK_SECONDS + ${v#soak+})) ;;
	esac
	[ "$v" -gt "$TEST_TIMEOUT" ] || v=$TEST_TIMEOUT
	echo "$v"
}

# result N NAME RC LOG: print the KTAP line for one test and its output.
# Returns 0 unless the test failed.
result() {
	local n=$1 name=$2 rc=$3 log=$4 reason
	diag "$log"
	case $rc in
	0) echo "  ok $n $name"; return 0 ;;
	4)
		reason=$(grep '^SKIP: ' "$log" | tail -n 1)
		if [ -n "$reason" ]; then
			echo "  ok $n $name # SKIP ${reason#SKIP: }"
			return 0
		fi
		echo "  # exit status 4 (skip) without a 'SKIP: reason' line"
		;;
	124|137) ;;	# run_script said what it was waiting for
	*) echo "  # exit status $rc" ;;
	esac
	echo "  not ok $n $name"
	return 1
}

# run_script PATH LOG: run one test script bounded by the timeout, in its own
# scratch directory; kill whatever it left behind. Prints the exit status.
run_script() {
	local t=$1 log=$2 pid rc
	cur_timeout=$(script_timeout "$t")
	TESTTMP=$(mktemp -d "$work/test.XXXXXX")
	export TESTTMP
	if [ ! -x "$t" ]; then
		echo "$t is not executable" >"$log"
		echo 1
		return
	fi
	# timeout(1) puts itself and the test in a new process group, which
	# is how stray background processes are found and killed afterwards.
	(cd "$TESTTMP" && exec timeout -k 5 "$cur_timeout" "$t") </dev/null >"$log" 2>&1 &
	pid=$!
	wait $pid
	rc=$?
	kill -KILL -- -$pid 2>/dev/null
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		if [ -s "$TESTTMP/.waiting-for" ]; then
			echo "timed out after $cur_timeout s waiting for $(cat "$TESTTMP/.waiting-for")"
		else
			echo "timed out after $cur_timeout s (not in a wait; see the output above)"
		fi >>"$log"
	fi
	rm -rf "$TESTTMP"
	echo $rc
}

kvm_works() {
	echo "Linux $KVER, up $(cut -d' ' -f1 /proc/uptime) s"
	[ $vm = 1 ] && vm_load_modules
	if [ ! -c /dev/kvm ]; then
		echo "/dev/kvm does not exist"
		return 1
	fi
	"$build/vm/kvm-probe"
}

# Taint flags that mean the kernel hit trouble (bad page, died, warned, soft
# lockup); the out-of-tree and unsigned module taints are expected.
TAINT_BAD="5:B 7:D 9:W 14:L"

# taint_gained BEFORE: the bad taint letters set now but not in BEFORE.
taint_gained() {
	local now bit letter gained=""
	now=$(cat /proc/sys/kernel/tainted)
	for t in $TAINT_BAD; do
		bit=${t%%:*} letter=${t#*:}
		if (( (now >> bit) & 1 )) && ! (( ($1 >> bit) & 1 )); then
			gained="$gained$letter"
		fi
	done
	printf '%s' "$gained"
}

# dmesg_clean SINCE TAINT: fail on any bad kernel report logged after the
# line containing SINCE (or since boot when SINCE is empty), naming the test
# that was running when it appeared, or on a bad taint not in TAINT.
dmesg_clean() {
	local since=$1 taint=$2 out gained
	gained=$(taint_gained "$taint")
	if ! dmesg >"$work/dmesg" 2>&1; then
		cat "$work/dmesg"
		echo "cannot read the kernel log"
		return 1
	fi
	if [ -n "$since" ] && ! grep -qF "$since" "$work/dmesg"; then
		echo "suite start marker not in the kernel log (log wrapped?): cannot check it"
		return 1
	fi
	out=$(awk -v since="$since" -v bad="$DMESG_BAD" '
		since != "" && !on { if (index($0, since)) on = 1; next }
		/petrel-selftests: start / { sub(/.*petrel-selftests: start /, ""); cur = $0; next }
		$0 ~ bad { printf "during %s: %s\n", cur == "" ? "boot" : cur, $0 }
	' "$work/dmesg")
	if [ -n "$out" ] || [ -n "$gained" ]; then
		printf '%s\n' "$out" | head -n 60
		[ -z "$gained" ] || echo "the kernel became tainted: $gained (see /proc/sys/kernel/tainted)"
		return 1
	fi
	echo "no warnings, BUGs, Oopses or memory corruption reports in the kernel log; no new taint"
	return 0
}

[ -n "$nonce" ] && echo "PETREL-KTAP-BEGIN $nonce"
echo "KTAP version 1"
echo "1..${#suite_list[@]}"
if [ $vm = 1 ]; then
	dmesg -n 1 2>/dev/null	# keep kernel messages off the console; we scan dmesg
fi

sn=0 total_fail=0
first_suite=1
for s in "${suite_list[@]}"; do
	sn=$((sn + 1))
	mapfile -t paths < <(scripts "$s")
	echo "  KTAP version 1"
	echo "  # Subtest: $s"
	echo "  1..$((${#paths[@]} + 2))"
	since="petrel-selftests: suite $s begin ${nonce:-$$}"
	kmsg "suite $s begin ${nonce:-$$}"
	# In the VM the first suite also answers for the boot itself.
	taint=$(cat /proc/sys/kernel/tainted)
	if [ $vm = 1 ] && [ $first_suite = 1 ]; then
		since="" taint=0
	fi
	first_suite=0

	fails=0 n=1
	kmsg "start $s/kvm-works"
	kvm_works >"$work/log" 2>&1
	kvm_ok=$?
	result $n kvm-works $kvm_ok "$work/log" || fails=$((fails + 1))
	for t in "${paths[@]}"; do
		n=$((n + 1))
		name=${t##*/}
		name=${name%.sh}
		if [ $kvm_ok != 0 ]; then
			echo "not run: /dev/kvm does not work (see kvm-works)" >"$work/log"
			result $n "$name" 1 "$work/log"
			fails=$((fails + 1))
			continue
		fi
		kmsg "start $s/$name"
		cur_timeout=$(script_timeout "$t")
		started=$SECONDS
		rc=$(run_script "$t" "$work/log")
		# Where the suite's time goes, for keeping `make check` short.
		echo "took $((SECONDS - started)) s" >>"$work/log"
		result $n "$name" "$rc" "$work/log" || fails=$((fails + 1))
	done
	kmsg "start $s/dmesg-clean"
	n=$((n + 1))
	dmesg_clean "$since" "$taint" >"$work/log" 2>&1
	result $n dmesg-clean $? "$work/log" || fails=$((fails + 1))

	if [ $fails = 0 ]; then echo "ok $sn $s"; else echo "not ok $sn $s"; fi
	total_fail=$((total_fail + fails))
done
[ -n "$nonce" ] && echo "PETREL-KTAP-END $nonce"
[ $total_fail = 0 ]
