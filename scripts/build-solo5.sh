#!/bin/bash
# build-solo5.sh SOLO5_SRC OUT: build Solo5's hvt tender (solo5-hvt) and its
# hvt test unikernels from a Solo5 source tree the user provides, with
# Solo5's own configure.sh, toolchain wrapper and makefiles, for the
# interop suite (selftests/solo5, `make check-solo5`). Downloads nothing.
#
# The tree is copied to OUT/src and built there, so the user's tree is never
# written to. OUT/version holds the Solo5 version that was built. A tree
# without .git and without include/version.h.distrib (a plain copy of a
# checkout) gets a version.h.distrib stand-in naming the version from
# CHANGES.md, because Solo5's build otherwise runs `git describe` and fails.
#
# build-solo5.sh --check SOLO5_SRC only checks that SOLO5_SRC looks like a
# Solo5 source tree (make check-solo5 does so before building anything).
#
# Errors: one line "petrel: ..." on stderr, exit status 1.
set -uo pipefail

die() {
	echo "petrel: $*" >&2
	exit 1
}

check=0
if [ "${1:-}" = --check ]; then
	check=1
	shift
	set -- "${1:-}" ""
fi
[ $# -eq 2 ] || die "usage: build-solo5.sh [--check] SOLO5_SRC [OUT]"
src=$1 out=$2
[ -n "$src" ] || die "SOLO5_SRC is not set: make check-solo5 SOLO5_SRC=DIR (a Solo5 source tree, e.g. a checkout of tag v0.12.1)"
[ -d "$src" ] || die "SOLO5_SRC=$src: no such directory"
for f in configure.sh GNUmakefile include/solo5.h include/hvt_abi.h \
	tenders/hvt/hvt_main.c tests/tests.bats tests/test_hello/test_hello.c; do
	[ -e "$src/$f" ] || die "SOLO5_SRC=$src: not a Solo5 source tree (no $f)"
done
src=$(cd "$src" && pwd) || die "SOLO5_SRC=$src: cannot enter it"
[ $check = 0 ] || exit 0
[ -n "$out" ] || die "usage: build-solo5.sh SOLO5_SRC OUT"
case $out in /*) ;; *) out=$PWD/$out ;; esac
case "$out/" in "$src"/*) die "the build directory $out is inside SOLO5_SRC=$src" ;; esac

# The Solo5 test unikernels the suite runs (tests.bats names them so).
TESTS="hello quiet output globals exception zeropage rnow xnow xnor rnox wnox
notls tls ssp fpu time blk net net_2if net_mtu net_ring mft_maxdevices"

rm -rf "$out/src" || die "cannot remove $out/src"
mkdir -p "$out" || die "cannot create $out"
cp -a "$src" "$out/src" || die "cannot copy $src to $out/src"
cd "$out/src" || die "cannot enter $out/src"
log=$out/build.log
: >"$log"

# Solo5's build must be its own: no compiler or flags of petrel's build
# (make passes command-line variables down in MAKEFLAGS).
run() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u CC -u CFLAGS -u LDFLAGS \
		-u CPPFLAGS "$@" >>"$log" 2>&1
}

# A tree that was already configured or built: start from a clean one.
if [ -f Makeconf ]; then
	run make distclean || die "make distclean in the copy of $src failed (log: $log)"
fi

version=""
if [ -e .git ]; then
	command -v git >/dev/null &&
		version=$(git -C . describe --dirty --tags --always 2>/dev/null)
	# Solo5's gen_version_h.sh asks Git whenever .git exists: a .git
	# that Git cannot read (or no git installed) must go from the copy.
	[ -n "$version" ] || rm -rf .git
fi
if [ -z "$version" ] && [ -f include/version.h.distrib ]; then
	version=$(sed -n 's/^#define SOLO5_VERSION "\(.*\)"$/\1/p' include/version.h.distrib)
fi
if [ -z "$version" ]; then
	# Neither Git nor a release tarball's version file: name the newest
	# release listed in CHANGES.md, marked as not taken from Git.
	version=$(sed -n 's/^## \(v[0-9][0-9.]*\).*/\1/p' CHANGES.md 2>/dev/null | head -n 1)
	[ -n "$version" ] || die "SOLO5_SRC=$src: no .git, no include/version.h.distrib and no version in CHANGES.md: cannot tell which Solo5 this is"
	version="$version (from CHANGES.md, no Git)"
	printf '/* Stand-in written by petrel scripts/build-solo5.sh: no Git tree. */\n#ifndef __VERSION_H__\n#define __VERSION_H__\n#define SOLO5_VERSION "%s"\n#endif\n' \
		"$version" >include/version.h.distrib
fi

echo "Solo5 $version: configure.sh" >>"$log"
run ./configure.sh || die "Solo5's configure.sh failed (log: $log)"
echo "Solo5 $version: make" >>"$log"
run make -j"$(nproc)" || die "building Solo5 failed (log: $log)"

[ -x tenders/hvt/solo5-hvt ] || die "Solo5's build made no tenders/hvt/solo5-hvt (log: $log)"
for t in $TESTS; do
	[ -f "tests/test_$t/test_$t.hvt" ] ||
		die "Solo5's build made no tests/test_$t/test_$t.hvt (log: $log)"
done
[ -f tests/test_buggyelf/buggyelf.hvt ] || die "no tests/test_buggyelf/buggyelf.hvt in SOLO5_SRC=$src"
printf '%s\n' "$version" >"$out/version"
echo "Solo5 $version built in $out/src: $(tenders/hvt/solo5-hvt --version 2>&1 | head -n 1)"
