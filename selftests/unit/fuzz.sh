#!/bin/sh
# fuzz.sh: build the libFuzzer targets (clang) and run each one the
# Makefile lists (print-fuzzers) for FUZZ_SECONDS seconds (default 60;
# make check runs 20, make check-long 300), seed 1, from its seed corpus:
# what fuzz_seeds.c writes (every binary seed, and the binary inputs that
# once crashed a fuzzer, kept as regression cases) plus corpus/NAME/ in
# the repo (text seeds only, such as manifest.json files: a binary file
# there would be a prebuilt blob without source in the source package).
# FUZZ_JOBS fuzzers (default: the number of CPUs) run at once. Prints, in
# the Makefile's order whatever finishes first, "ok fuzz.NAME", "not ok
# fuzz.NAME" or "skip fuzz.NAME REASON" lines with "# " diagnostics (run
# counts), as run.sh collects them.
#
#   FUZZ_KEEP=DIR   keep the grown corpus in DIR/corpus/NAME and crashing
#                   inputs in DIR/crashes/NAME- (`make fuzz` sets it);
#                   otherwise both go to a scratch directory.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(cd "$here/../.." && pwd)/build}
export BUILD
secs=${FUZZ_SECONDS:-60}
case $secs in ''|*[!0-9]*|0) echo "not ok fuzz.settings"; echo "# FUZZ_SECONDS=$secs: a number of seconds > 0 expected"; exit 1 ;; esac
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in ''|*[!0-9]*|0) echo "not ok fuzz.settings"; echo "# FUZZ_JOBS=$jobs: a number of parallel fuzzers > 0 expected"; exit 1 ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
names=$(make -s --no-print-directory -C "$here" print-fuzzers)
if ! make -s -C "$here" -j2 fuzz "$BUILD/unit/fuzz_seeds" >"$tmp/build.log" 2>&1; then
	for f in $names; do
		echo "skip fuzz.$f cannot build libFuzzer targets with" \
			"${FUZZ_CC:-clang} (see make -C selftests/unit fuzz)"
	done
	sed 's/^/# /' "$tmp/build.log" | tail -n 20
	exit 0
fi
keep=${FUZZ_KEEP:-$tmp/keep}
for f in $names; do mkdir -p "$tmp/gen/$f"; done
# Most fuzzers' only seeds: without them they would start from nothing.
if ! "$BUILD/unit/fuzz_seeds" "$tmp/gen" >"$tmp/seeds.log" 2>&1; then
	echo "not ok fuzz.seeds"
	sed 's/^/# /' "$tmp/seeds.log" | tail -n 20
	exit 1
fi

# fuzz_one NAME: run one fuzzer; its result lines go to $tmp/result.NAME,
# its exit status to $tmp/status.NAME.
fuzz_one() {
	f=$1
	corpus=$keep/corpus/$f
	out=$tmp/out.$f
	mkdir -p "$corpus" "$keep/crashes"
	[ -d "$here/corpus/$f" ] && cp "$here/corpus/$f"/* "$corpus"/ 2>/dev/null
	[ -d "$tmp/gen/$f" ] && cp "$tmp/gen/$f"/* "$corpus"/ 2>/dev/null
	# -timeout: one input taking over 10 s is a hang, reported as such.
	"$BUILD/unit/fuzz_$f" -seed=1 -max_total_time="$secs" -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$keep/crashes/$f-" \
		"$corpus" >"$out" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -n 1)
	{
		echo "# fuzz.$f: ${runs:-?} runs in $secs s, corpus $(ls "$corpus" | wc -l) inputs"
		if [ $rc -eq 0 ]; then
			echo "ok fuzz.$f"
		else
			echo "not ok fuzz.$f"
			tail -n 40 "$out" | sed 's/^/# /'
			ls "$keep/crashes/$f-"* 2>/dev/null | sed 's/^/# crashing input: /'
		fi
	} >"$tmp/result.$f"
	echo $rc >"$tmp/status.$f"
}

# Batches of $jobs fuzzers: each runs for the same fixed time, so a batch
# ends when its members do. Results are printed in the Makefile's order.
status=0
# shellcheck disable=SC2086 # one word per fuzzer name
set -- $names
while [ $# -gt 0 ]; do
	batch="" i=0
	while [ $# -gt 0 ] && [ $i -lt "$jobs" ]; do
		batch="$batch $1" i=$((i + 1))
		shift
	done
	for f in $batch; do
		fuzz_one "$f" &
	done
	wait
	for f in $batch; do
		cat "$tmp/result.$f"
		[ "$(cat "$tmp/status.$f" 2>/dev/null)" = 0 ] || status=1
	done
done
exit $status
