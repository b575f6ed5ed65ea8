#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check.sh: every petrel test, one KTAP report, one summary line.
#
#   selftests/check.sh          unit tests and static checks on the host,
#                               then the KVM suites
#                               in QEMU VMs booting Linux 6.1 and 6.12 (in
#                               parallel, see vm.sh)
#   selftests/check.sh --host   unit tests, then the KVM suites directly on
#                               this host (needs a working /dev/kvm, root)
#
# Then, as root, the install test (install-test.sh): `make deb`, the three
# packages installed on this host, DKMS's module and the installed tender
# tested in the VMs (or on this host with --host), the packages purged;
# --no-install leaves it out.
#
# Run `make` first (`make check` does both). Prints one KTAP document with a
# subtest per suite (unit, kvm-6.1, kvm-6.12, install, pkg-6.1, pkg-6.12,
# purge) and ends with exactly
# "N passed, N failed" (plus ", N skipped"), counting leaf tests. Exit
# status 0 only if nothing failed; a suite that cannot run (a kernel that
# is not installed, a VM that hangs or crashes) is a failure. Progress
# notes go to stderr.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
. "$here/lib/ktap.sh"
. "$here/lib/vm-run.sh"

host=0 install=1
while [ $# -gt 0 ]; do
	case "$1" in
	--host) host=1; shift ;;
	--no-install) install=0; shift ;;
	-h|--help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
done

note() { echo "check: $*" >&2; }

mkdir -p "$VM_CACHE"
runs=$(mktemp -d "$VM_CACHE/check.XXXXXX")
trap 'rm -rf "$runs"' EXIT
start=$SECONDS
parts=()

# ---- unit tests (host, ASan/UBSan) ----
unit=$PETREL_SRC/selftests/unit/run.sh
if [ -x "$unit" ]; then
	note "unit tests"
	"$unit" >"$runs/unit.ktap" 2>"$runs/unit.err"
	rc=$?
	# Whatever the runner said on stderr is kept as diagnostics.
	sed 's/^/# /' "$runs/unit.err" >>"$runs/unit.ktap"
	ktap_part_nest "$runs/unit" unit $rc "$runs/unit.ktap"
else
	ktap_part_skip "$runs/unit" unit "selftests/unit/run.sh does not exist yet"
fi
parts+=("$runs/unit")

# ---- static checks (checkpatch, sparse, the other compiler) ----
note "static checks"
"$PETREL_SRC/selftests/lint/run.sh" >"$runs/lint.ktap" 2>"$runs/lint.err"
rc=$?
sed 's/^/# /' "$runs/lint.err" >>"$runs/lint.ktap"
ktap_part_nest "$runs/lint" lint $rc "$runs/lint.ktap"
parts+=("$runs/lint")

# ---- KVM suites ----
if [ $host = 1 ]; then
	note "KVM suites on this host"
	if ! build_kvm_probe >/dev/null; then
		ktap_part_fail "$runs/host" kvm-host "cannot build selftests/lib/kvm-probe.c"
	else
		part=$runs/host
		mkdir -p "$part"
		"$here/lib/run-suites.sh" --src "$PETREL_SRC" --list >"$part/expected" ||
			die "cannot list the test suites"
		nonce=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
		"$here/lib/run-suites.sh" --src "$PETREL_SRC" --build "$BUILD" \
			--nonce "$nonce" >"$part/results.log" 2>"$part/stderr.log"
		reason=""
		grep -q "^PETREL-KTAP-END $nonce" "$part/results.log" ||
			reason="the test runner stopped early"
		awk -v expected="$part/expected" -v label=host -v nonce="$nonce" \
			-v reason="$reason" -v started=1 -v tail="$part/stderr.log" \
			-v counts="$part/counts" -f "$KTAP_LIB/ktap-render.awk" \
			"$part/results.log" >"$part/blocks"
	fi
	parts+=("$runs/host")
else
	note "KVM suites in QEMU VMs: Linux $KERNEL_LABELS (in parallel)"
	for l in $KERNEL_LABELS; do
		vm_run_suites "$l" "$runs/$l" "" "" &
		parts+=("$runs/$l")
	done
	wait
fi

# ---- the Debian packages, installed on this host ----
# After the suites, so that its DKMS builds do not compete with their VMs.
# Bounded as a whole; the -k grace lets its trap purge what it installed.
if [ $install = 1 ]; then
	note "install test: make deb, install, DKMS, the pkg suite, purge"
	inst=$runs/install
	host_arg=()
	[ $host = 1 ] && host_arg=(--host)
	timeout -k 120 3600 "$here/install-test.sh" "${host_arg[@]}" --parts "$inst" \
		>"$runs/install.log" 2>&1
	rc=$?
	while read -r p; do
		parts+=("$inst/$p")
	done < <(cat "$inst/order" 2>/dev/null)
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		ktap_part_fail "$runs/install-timeout" install-test \
			"the install test timed out after 3600 s; its log: $(tail -n 5 "$runs/install.log" | tr '\n' ' ')"
		parts+=("$runs/install-timeout")
	elif [ ! -s "$inst/order" ]; then
		ktap_part_fail "$runs/install-none" install-test \
			"the install test reported nothing (status $rc): $(tail -n 5 "$runs/install.log" | tr '\n' ' ')"
		parts+=("$runs/install-none")
	fi
fi

note "done in $((SECONDS - start)) s"
ktap_combine "${parts[@]}"
