#!/bin/sh
# Build and run the tender's host unit tests (ASan + UBSan) and print one
# KTAP document on stdout. Exit 0 iff no test failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(cd "$here/../.." && pwd)/build}
export BUILD

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
: >"$tmp/results"

# Diagnostics: every line of file $1 as a "# " line.
diag() {
	sed 's/^/# /' "$1" >>"$tmp/results"
}

# test_cli runs the real binary, so the tender is built too.
if ! { make -s -C "$here/../../tender" -j2 && make -s -C "$here" -j2; } \
	>"$tmp/build.log" 2>&1; then
	echo "not ok unit.build" >>"$tmp/results"
	diag "$tmp/build.log"
else
	for name in $(make -s --no-print-directory -C "$here" print-tests); do
		"$BUILD/unit/$name" >"$tmp/out" 2>"$tmp/err" </dev/null
		rc=$?
		cat "$tmp/out" >>"$tmp/results"
		# A crash (sanitizer report, signal) cuts a binary short:
		# that is a failure of its own even if no test said so.
		if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$tmp/out"; then
			echo "not ok $name.completes # exit status $rc" \
				>>"$tmp/results"
		fi
		[ -s "$tmp/err" ] && diag "$tmp/err"
	done
fi

# The libFuzzer targets, for FUZZ_SECONDS (default 60; check.sh: 20) each:
# see fuzz.sh.
"$here/fuzz.sh" >>"$tmp/results" 2>&1

awk '
	/^(ok|not ok|skip) / { n++ }
	{ line[NR] = $0 }
	END {
		print "KTAP version 1"
		print "1.." n
		i = 0; bad = 0
		for (k = 1; k <= NR; k++) {
			s = line[k]
			if (s ~ /^ok /) {
				print "ok " ++i " " substr(s, 4)
			} else if (s ~ /^not ok /) {
				print "not ok " ++i " " substr(s, 8); bad = 1
			} else if (s ~ /^skip /) {
				rest = substr(s, 6)
				sp = index(rest, " ")
				name = sp ? substr(rest, 1, sp - 1) : rest
				why = sp ? substr(rest, sp + 1) : "no reason given"
				print "ok " ++i " " name " # SKIP " why
			} else if (s ~ /^#/) {
				print s
			} else {
				print "# " s
			}
		}
		exit bad
	}' "$tmp/results"
