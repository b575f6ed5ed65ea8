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

# The parsers under libFuzzer: a fixed seed and run count, from seeds that
# are valid images, so each run explores the same inputs.
if ! make -s -C "$here" -j2 fuzz >"$tmp/fuzz.log" 2>&1; then
	for f in elf manifest mft_json; do
		echo "skip fuzz.$f cannot build libFuzzer targets with" \
			"${FUZZ_CC:-clang} (see make -C selftests/unit fuzz)" \
			>>"$tmp/results"
	done
else
	mkdir -p "$tmp/corpus/elf" "$tmp/corpus/manifest"
	"$BUILD/unit/fuzz_seeds" "$tmp/corpus" >/dev/null 2>&1
	# manifest.json seeds are files in the repo, copied: libFuzzer adds
	# what it finds to the first corpus directory.
	cp -r "$here/corpus/mft_json" "$tmp/corpus/"
	for f in elf:50000 manifest:200000 mft_json:200000; do
		name=${f%%:*} runs=${f#*:}
		if "$BUILD/unit/fuzz_$name" -seed=1 -runs="$runs" \
			-artifact_prefix="$tmp/" "$tmp/corpus/$name" \
			>"$tmp/fuzz.out" 2>&1; then
			echo "ok fuzz.$name.$runs-runs" >>"$tmp/results"
		else
			echo "not ok fuzz.$name.$runs-runs" >>"$tmp/results"
			tail -n 40 "$tmp/fuzz.out" >"$tmp/fuzz.tail"
			diag "$tmp/fuzz.tail"
		fi
	done
fi

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
