#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# vm.sh: run petrel's KVM test suites inside a QEMU VM (software-emulated
# AMD SVM) booting Debian's kernels, and print the results as KTAP.
#
#   selftests/vm.sh [--kernel 6.1|6.12|all] [--suite S]... [--test NAME]...
#                   [--timeout SECONDS] [--console]
#
#   --kernel   which installed Debian kernel series to boot (default 6.1);
#              "all" boots each series in its own VM, in parallel
#   --suite    a directory under selftests/ (kvm, kmod, stat, bench, soak);
#              default: all that exist but pkg and soak (install-test.sh
#              and make soak run them)
#   --test     a script name without .sh (e.g. --test hello); repeatable;
#              default: every script of the chosen suites
#   --timeout  how long a VM may print no test result before it counts as
#              hung and is stopped (default: the longest test timeout
#              + 120 s; tests are timed out inside, see lib/run-suites.sh)
#   --console  also print the VM's kernel console log (to stderr)
#   --env      NAME=VALUE for the tests (NAME PETREL_[A-Z_]*, VALUE
#              [A-Za-z0-9]), repeatable: e.g. PETREL_TEST_TIMEOUT=1800
#              PETREL_XFER_FRAMES=1000000 for the full-size ring transfer
#
# Build first (`make`): tests find the tender, guests and module through
# $PETREL, $GUESTS, $PETREL_ELFTOOL, $PETREL_KO (see lib/run-suites.sh for
# the full contract of a test script). The VM runs the host's own userspace
# (the host's / is shared read-only), with the source tree at /petrel and
# the build tree (BUILD, default ./build) at /petrel-build, both read-only;
# /tmp is a fresh tmpfs. The initramfs is cached in build/vm/<kver>/.
#
# Output: KTAP, then "N passed, N failed[, N skipped]". Exit status 0 only
# if every test passed (or skipped with a reason); 1 on bad arguments or any
# failure, including a VM that hung (killed at the timeout) or crashed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
. "$here/lib/ktap.sh"
. "$here/lib/vm-run.sh"

kernel=6.1 suites="" tests="" secs="" console=0
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) [ $# -ge 2 ] || die "--kernel needs a value"; kernel=$2; shift 2 ;;
	--kernel=*) kernel=${1#*=}; shift ;;
	--suite) [ $# -ge 2 ] || die "--suite needs a value"; suites="$suites${suites:+,}$2"; shift 2 ;;
	--suite=*) suites="$suites${suites:+,}${1#*=}"; shift ;;
	--test) [ $# -ge 2 ] || die "--test needs a value"; tests="$tests${tests:+,}$2"; shift 2 ;;
	--test=*) tests="$tests${tests:+,}${1#*=}"; shift ;;
	--timeout) [ $# -ge 2 ] || die "--timeout needs a value"; secs=$2; shift 2 ;;
	--timeout=*) secs=${1#*=}; shift ;;
	--console) console=1; shift ;;
	--env)
		[ $# -ge 2 ] || die "--env needs NAME=VALUE"
		[[ $2 =~ ^PETREL_[A-Z_]+=[A-Za-z0-9]+$ ]] || die "bad --env: $2"
		VM_ENV="${VM_ENV:-}${VM_ENV:+ }$2"; shift 2 ;;
	-h|--help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
done
case "$kernel" in
all) labels=$KERNEL_LABELS ;;
*)
	case " $KERNEL_LABELS " in
	*" $kernel "*) labels=$kernel ;;
	*) die "unknown kernel series: $kernel (known: $KERNEL_LABELS all)" ;;
	esac
	;;
esac
case "$secs" in
''|*[!0-9]*) [ -z "$secs" ] || die "bad --timeout: $secs (seconds expected)" ;;
esac
for v in $suites $tests; do
	case "$v" in *[!A-Za-z0-9_,.-]*) die "bad suite or test name: $v" ;; esac
done
# Validate names once, before booting anything.
msg=$("$here/lib/run-suites.sh" --src "$PETREL_SRC" --list --suites "$suites" \
	--tests "$tests" 2>&1 >/dev/null) || die "${msg#run-suites.sh: }"

mkdir -p "$VM_CACHE"
runs=$(mktemp -d "$VM_CACHE/run.XXXXXX")
trap 'rm -rf "$runs"' EXIT
parts=()
for l in $labels; do
	vm_run_suites "$l" "$runs/$l" "$suites" "$tests" "$secs" &
	parts+=("$runs/$l")
done
wait
if [ $console = 1 ]; then
	for l in $labels; do
		echo "==== console of the Linux $l VM ====" >&2
		cat "$runs/$l/console.log" >&2
	done
fi
ktap_combine "${parts[@]}"
