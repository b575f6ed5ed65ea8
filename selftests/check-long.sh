#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# check-long.sh: the endurance runs that prove petrel holds up over time,
# kept out of `make check` (which covers the same paths in short runs) and
# run before a release (`make check-long`). One KTAP report, one summary
# line, as check.sh.
#
#   - 60-ring-xfer with PETREL_XFER_FRAMES frames each way (default
#     1000000) on Linux 6.1 and 6.12, in QEMU VMs in parallel, and
#     67-solo5-ring-xfer (Solo5's ring) with PETREL_SOLO5_XFER_FRAMES
#     (default 100000);
#   - the soak suite (selftests/soak: guests started and stopped in a loop
#     with traffic for SOAK_SECONDS, default 600, then kernel memory
#     compared with its starting level) in the same VMs;
#   - every libFuzzer target for FUZZ_SECONDS each (default 300) on the
#     host, beside the VMs, one at a time (the VMs hold the cores).
#
# Takes about 30 minutes on two cores. Run `make` first (make check-long
# does both). Exit status 0 only if nothing failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
. "$here/lib/ktap.sh"
. "$here/lib/vm-run.sh"

case "${1:-}" in
'') ;;
-h|--help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
*) die "unknown argument: $1 (see --help)" ;;
esac

frames=${PETREL_XFER_FRAMES:-1000000}
case $frames in ''|*[!0-9]*|0) die "PETREL_XFER_FRAMES=$frames: a number of frames expected" ;; esac
export SOAK_SECONDS=${SOAK_SECONDS:-600}
# Ten times what the full-size transfer takes on the slower kernel.
solo5_frames=${PETREL_SOLO5_XFER_FRAMES:-100000}
case $solo5_frames in ''|*[!0-9]*|0) die "PETREL_SOLO5_XFER_FRAMES=$solo5_frames: a number of frames expected" ;; esac
VM_ENV="PETREL_XFER_FRAMES=$frames PETREL_SOLO5_XFER_FRAMES=$solo5_frames PETREL_TEST_TIMEOUT=3600"

note() { echo "check-long: $((SECONDS - start)) s: $*" >&2; }

mkdir -p "$VM_CACHE"
runs=$(mktemp -d "$VM_CACHE/check-long.XXXXXX")
trap 'rm -rf "$runs"' EXIT
start=$SECONDS

note "ring transfer ($frames frames each way) and soak ($SOAK_SECONDS s) in VMs: Linux $KERNEL_LABELS; fuzzing on the host"
parts=()
for l in $KERNEL_LABELS; do
	vm_run_suites "$l" "$runs/$l" kvm,soak 60-ring-xfer,67-solo5-ring-xfer,10-start-stop &
	parts+=("$runs/$l")
done

# fuzz.sh prints "ok/not ok/skip fuzz.NAME" lines: made a KTAP document.
FUZZ_SECONDS=${FUZZ_SECONDS:-300} FUZZ_JOBS=${FUZZ_JOBS:-1} \
	"$here/unit/fuzz.sh" >"$runs/fuzz.out" 2>&1
rc=$?
awk '
	/^(ok|not ok|skip) / { line[++n] = $0; next }
	{ line[++n] = (/^#/ ? "" : "# ") $0 }
	END {
		print "KTAP version 1"
		for (i = 1; i <= n; i++) if (line[i] ~ /^(ok|not ok|skip) /) t++
		print "1.." t
		for (i = 1; i <= n; i++) {
			s = line[i]
			if (s ~ /^skip /) {
				sub(/^skip /, "", s)
				sp = index(s, " ")
				s = "ok " ++k " " (sp ? substr(s, 1, sp - 1) " # SKIP " substr(s, sp + 1) : s " # SKIP")
			} else if (s ~ /^ok /) {
				s = "ok " ++k " " substr(s, 4)
			} else if (s ~ /^not ok /) {
				s = "not ok " ++k " " substr(s, 8)
			}
			print s
		}
	}' "$runs/fuzz.out" >"$runs/fuzz.ktap"
ktap_part_nest "$runs/fuzz" fuzz $rc "$runs/fuzz.ktap"
note "fuzzing done"
parts+=("$runs/fuzz")
wait

note "done in $((SECONDS - start)) s"
ktap_combine "${parts[@]}"
