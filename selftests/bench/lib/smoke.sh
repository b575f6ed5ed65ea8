# shellcheck shell=bash
# Helpers for the benchmark's smoke tests: run a slice of bench/run.sh with
# a handful of frames and check that its records are well formed. No
# timing is judged: only that every mode ran and reported its figures.

. "$(dirname "${BASH_SOURCE[0]}")/../../lib/wait.sh"

fail() {
	echo "FAIL: $*"
	exit 1
}

# bench_run ARGS...: bench/run.sh --quick ARGS (shown), its records added
# to $TESTTMP/raw, so that several slices make one report; fails on an
# error record or a missing end line.
bench_run() {
	"$PETREL_SRC/bench/run.sh" --quick "$@" >"$TESTTMP/raw.run" 2>&1
	cat "$TESTTMP/raw.run"
	grep -q '^PETREL-BENCH-END 0$' "$TESTTMP/raw.run" || fail "bench/run.sh did not finish"
	! grep -q '^E ' "$TESTTMP/raw.run" || fail "a benchmark run failed"
	cat "$TESTTMP/raw.run" >>"$TESTTMP/raw"
}

# record PATTERN: the one record line matching the extended PATTERN; or
# the problem, and status 1.
record() {
	local n
	n=$(grep -cE "$1" "$TESTTMP/raw")
	if [ "$n" != 1 ]; then
		echo "$n records match '$1', expected 1"
		return 1
	fi
	grep -E "$1" "$TESTTMP/raw"
}

# positive LINE KEY...: every KEY=value in LINE is a number above zero.
positive() {
	local line=$1 k v
	shift
	for k in "$@"; do
		v=$(grep -oE "(^| )$k=[0-9]+" <<<"$line" | head -n 1)
		v=${v#*=}
		if [ -z "$v" ] || [ "$v" -le 0 ]; then
			fail "$k is not a positive number in: $line"
		fi
	done
}

# net_records PATH SIZE [COUNTERS...]: the g2h, h2g and echo records of
# PATH at SIZE carry their figures (and the named counters).
net_records() {
	local p=$1 s=$2 line
	shift 2
	for t in g2h h2g; do
		line=$(record "^R kind=net path=$p test=$t size=$s ") || fail "$line"
		positive "$line" sent frames bytes ns "$@"
	done
	line=$(record "^R kind=net path=$p test=echo size=$s ") || fail "$line"
	positive "$line" sent received p50_ns p99_ns p999_ns frames "$@"
}

# report_ok: bench/report.sh turns the records into a table, valid JSON
# and a PNG chart.
report_ok() {
	"$PETREL_SRC/bench/report.sh" "$TESTTMP/raw" "$TESTTMP/out" >"$TESTTMP/report" 2>&1 ||
		{ cat "$TESTTMP/report"; fail "bench/report.sh failed"; }
	grep -q '^1\. Ratios' "$TESTTMP/out/results.txt" || fail "no ratio table"
	python3 -m json.tool "$TESTTMP/out/results.json" >/dev/null ||
		fail "results.json is not valid JSON"
	[ "$(head -c 4 "$TESTTMP/out/throughput.png" | od -An -tx1 | tr -d ' ')" = 89504e47 ] ||
		fail "throughput.png is not a PNG image"
}
