#!/bin/bash
# abi/petrel.h as its users compile it: C11 (gcc) and C++17 (g++), each
# hosted (the tender, tools) and freestanding (a guest), with -Wall -Wextra
# -Werror; and it leaves behind no macro but the ABI's own: every macro it
# defines is named PETREL_*, none is a helper of its own (PETREL_HAVE_*,
# PETREL_ASSERT), and C and C++ see the same ones.
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-gcc}
CXX=${CXX:-g++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
rc=0

# compiler LANG ENV: sets cc and flags for LANG (c or c++) and ENV.
compiler() {
	if [ "$1" = c++ ]; then cc=$CXX flags=(-std=c++17); else cc=$CC flags=(-std=c11); fi
	[ "$2" = freestanding ] && flags+=(-ffreestanding)
	flags+=(-I"$src" -x "$1")
}

# macros LANG ENV FILE: the names of the macros defined after FILE, sorted.
macros() {
	compiler "$1" "$2"
	"$cc" "${flags[@]}" -dM -E "$3" |
		awk '$1 == "#define" { sub(/\(.*/, "", $2); print $2 }' | sort -u
}

for lang in c c++; do
	for env in hosted freestanding; do
		compiler $lang $env
		printf '#include "abi/petrel.h"\nstruct petrel_ring *petrel_check_ring;\n' >"$tmp/use"
		if ! "$cc" "${flags[@]}" -Wall -Wextra -Werror -fsyntax-only "$tmp/use" \
			>"$tmp/cc.log" 2>&1; then
			echo "abi/petrel.h does not compile as $lang, $env ($cc ${flags[*]}):"
			head -n 20 "$tmp/cc.log"
			rc=1
			continue
		fi
		# What the header's own includes define is not the header's.
		if [ $env = hosted ]; then
			printf '#include <linux/types.h>\n#include <linux/ioctl.h>\n' >"$tmp/base"
		else
			printf '#include <stdint.h>\n' >"$tmp/base"
		fi
		{ cat "$tmp/base"; echo '#include "abi/petrel.h"'; } >"$tmp/with"
		comm -13 <(macros $lang $env "$tmp/base") <(macros $lang $env "$tmp/with") \
			>"$tmp/macros-$lang-$env"
		bad=$(grep -vE '^PETREL_' "$tmp/macros-$lang-$env"
		      grep -E '^PETREL_(HAVE_|ASSERT)' "$tmp/macros-$lang-$env")
		if [ -n "$bad" ]; then
			echo "abi/petrel.h leaves implementation macros defined ($lang, $env):" $bad
			rc=1
		fi
	done
done
for env in hosted freestanding; do
	[ -f "$tmp/macros-c-$env" ] && [ -f "$tmp/macros-c++-$env" ] || continue
	if ! cmp -s "$tmp/macros-c-$env" "$tmp/macros-c++-$env"; then
		echo "abi/petrel.h defines other macros in C++ than in C ($env):"
		diff "$tmp/macros-c-$env" "$tmp/macros-c++-$env" | head -n 20
		rc=1
	fi
done
[ $rc = 0 ] && echo "abi/petrel.h: C11 and C++17, hosted and freestanding;" \
	"$(wc -l <"$tmp/macros-c-hosted") macros, all PETREL_*"
exit $rc
