#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check.sh: every petrel test, one KTAP report, one summary line.
#
#   selftests/check.sh          the KVM suites in QEMU VMs booting Linux
#                               6.1 and 6.12, with the unit tests and static
#                               checks on the host beside them
#   selftests/check.sh --host   unit tests, then the KVM suites directly on
#                               this host (needs a working /dev/kvm, root)
#
# And, as root, the install test (install-test.sh): `make deb`, the three
# packages installed on this host, DKMS's module and the installed tender
# tested in the VMs (or on this host with --host), the packages purged;
# --no-install leaves it out.
#
# Scheduling, for two cores: each VM keeps a core busy for most of the run,
# so both start at once, and the host-side unit tests and static checks
# run beside them; the install test starts as soon as the first of these
# three is done. The VMs never see the installed packages: their tests use
# the build tree's tender and module (see lib/test-env.sh).
#
# Run `make` first (`make check` does both). Prints one KTAP document with a
# subtest per suite (unit, lint, kvm-6.1, kvm-6.12, install, pkg-6.1,
# pkg-6.12, purge), the ten slowest tests, and ends with exactly
# "N passed, N failed" (plus ", N skipped"), counting leaf tests. Exit
# status 0 only if nothing failed; a suite that cannot run (a kernel that
# is not installed, a VM that hangs or crashes) is a failure. Progress
# notes go to stderr. The endurance runs are check-long.sh's.
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

note() { echo "check: $((SECONDS - start)) s: $*" >&2; }

mkdir -p "$VM_CACHE"
runs=$(mktemp -d "$VM_CACHE/check.XXXXXX")
trap 'rm -rf "$runs"' EXIT
start=$SECONDS

# took DIR SECONDS: note a host-side part's duration for the slowest list
# (a "# took" line just before the part's own result line).
took() {
	sed -i "\$i # took $2 s" "$1/blocks"
}

# host_part NAME CMD...: run CMD (a KTAP producer) as part NAME.
host_part() {
	local name=$1 t0=$SECONDS rc
	shift
	note "$name: started"
	"$@" >"$runs/$name.ktap" 2>"$runs/$name.err"
	rc=$?
	# Whatever the runner said on stderr is kept as diagnostics.
	sed 's/^/# /' "$runs/$name.err" >>"$runs/$name.ktap"
	ktap_part_nest "$runs/$name" "$name" $rc "$runs/$name.ktap"
	took "$runs/$name" $((SECONDS - t0))
	note "$name: done in $((SECONDS - t0)) s"
}

# host_checks: unit tests (ASan/UBSan, short fuzzing: FUZZ_SECONDS, 20 s a
# fuzzer here, one at a time since the VMs hold the cores; make fuzz and
# check-long.sh fuzz for longer), then the static checks.
host_checks() {
	local unit=$PETREL_SRC/selftests/unit/run.sh
	if [ -x "$unit" ]; then
		FUZZ_SECONDS=${FUZZ_SECONDS:-20} FUZZ_JOBS=${FUZZ_JOBS:-1} \
			host_part unit "$unit"
	else
		ktap_part_skip "$runs/unit" unit "selftests/unit/run.sh does not exist yet"
	fi
	host_part lint "$PETREL_SRC/selftests/lint/run.sh"
}

# ---- the install test: the Debian packages, installed on this host ----
# Bounded as a whole; the -k grace lets its trap purge what it installed.
install_test() {
	local inst=$runs/install rc t0=$SECONDS host_arg=()
	[ $host = 1 ] && host_arg=(--host)
	note "install test: started (make deb, install, DKMS, the pkg suite, purge)"
	timeout -k 120 3600 "$here/install-test.sh" "${host_arg[@]}" --parts "$inst" \
		>"$runs/install.log" 2>&1
	rc=$?
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		ktap_part_fail "$runs/install-timeout" install-test \
			"the install test hung: stopped after 3600 s; its log: $(tail -n 5 "$runs/install.log" | tr '\n' ' ')"
	elif [ ! -s "$inst/order" ]; then
		ktap_part_fail "$runs/install-none" install-test \
			"the install test reported nothing (status $rc): $(tail -n 5 "$runs/install.log" | tr '\n' ' ')"
	fi
	note "install test: done in $((SECONDS - t0)) s"
}

# ---- KVM suites ----
if [ $host = 1 ]; then
	# One /dev/kvm, no VMs to overlap with: one thing after another.
	host_checks
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
	[ $install = 1 ] && install_test
	kvm_parts=("$runs/host")
else
	note "KVM suites in QEMU VMs: Linux $KERNEL_LABELS, with the host checks beside them"
	pids=()
	kvm_parts=()
	for l in $KERNEL_LABELS; do
		( t0=$SECONDS
		  vm_run_suites "$l" "$runs/$l" "" ""
		  note "kvm-$l: done in $((SECONDS - t0)) s" ) &
		pids+=($!)
		kvm_parts+=("$runs/$l")
	done
	host_checks &
	pids+=($!)
	if [ $install = 1 ]; then
		# A core is free once any of the three is done.
		wait -n "${pids[@]}"
		install_test
	fi
	wait
fi

# ---- the report, in a fixed order ----
parts=()
for p in unit lint; do
	[ -e "$runs/$p/blocks" ] && parts+=("$runs/$p")
done
parts+=("${kvm_parts[@]}")
if [ $install = 1 ]; then
	while read -r p; do
		parts+=("$runs/install/$p")
	done < <(cat "$runs/install/order" 2>/dev/null)
	for p in install-timeout install-none; do
		[ -e "$runs/$p/blocks" ] && parts+=("$runs/$p")
	done
fi

note "done in $((SECONDS - start)) s"
ktap_combine "${parts[@]}"
