# shellcheck shell=bash
# Host-side KTAP assembly shared by vm.sh and check.sh. A "part" is a
# directory holding `blocks` (one or more top-level KTAP subtests, numbered
# from 1) and `counts` ("passed failed skipped" leaf counts).

KTAP_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# ktap_part_nest DIR NAME RC DOC: a part made of one foreign KTAP document.
ktap_part_nest() {
	mkdir -p "$1"
	awk -v name="$2" -v rc="$3" -v counts="$1/counts" \
		-f "$KTAP_LIB/ktap-nest.awk" "$4" >"$1/blocks"
}

# ktap_part_skip DIR NAME REASON: a part that is one skipped test.
ktap_part_skip() {
	mkdir -p "$1"
	printf 'ok 1 %s # SKIP %s\n' "$2" "$3" >"$1/blocks"
	echo "0 0 1" >"$1/counts"
}

# ktap_part_fail DIR NAME REASON: a part that is one failed test.
ktap_part_fail() {
	mkdir -p "$1"
	printf '# %s\nnot ok 1 %s\n' "$3" "$2" >"$1/blocks"
	echo "0 1 0" >"$1/counts"
}

# ktap_combine DIR...: print one KTAP document of all parts, renumbered,
# the ten slowest tests (ktap-slowest.awk), then the summary line.
# Returns 0 only if nothing failed.
ktap_combine() {
	local d n=0 p=0 f=0 s=0 cp cf cs
	for d in "$@"; do
		n=$((n + $(grep -cE '^(not )?ok [0-9]+' "$d/blocks")))
	done
	echo "KTAP version 1"
	echo "1..$n"
	n=0
	for d in "$@"; do
		awk -v base=$n '/^(not )?ok [0-9]+/ {
			ok = ($1 == "ok") ? "ok" : "not ok"
			rest = $0; sub(/^(not )?ok [0-9]+/, "", rest)
			printf "%s %d%s\n", ok, base + (++k), rest; next } { print }' "$d/blocks"
		n=$((n + $(grep -cE '^(not )?ok [0-9]+' "$d/blocks")))
		read -r cp cf cs <"$d/counts"
		p=$((p + cp)) f=$((f + cf)) s=$((s + cs))
	done
	awk -f "$KTAP_LIB/ktap-slowest.awk" "${@/%//blocks}"
	if [ $s -gt 0 ]; then
		echo "$p passed, $f failed, $s skipped"
	else
		echo "$p passed, $f failed"
	fi
	[ $f = 0 ]
}
