#!/bin/bash
# deb-check.sh DIR VERSION: what `make deb` (mk/deb.mk) checks of the
# packages dpkg-buildpackage left in DIR, beyond their being built:
#
#   - the build log against dpkg-buildflags: blhc over the host programs
#     (the guest runtime in petrel-dev is freestanding code for the guest,
#     built with flags of its own, so blhc skips its lines), and every host
#     compile line carries all of CPPFLAGS, which blhc does not check
#     (-Wdate-time);
#   - the debug symbols: petrel-dbgsym and petrel-dev-dbgsym hold a
#     .debug file for the build ID of each program, and dh_dwz ran (for
#     petrel, whose two programs share what dwz moved to one .dwz file,
#     that file is there);
#   - lintian over the .changes (the source package and every binary
#     package, dbgsym included) at every level down to pedantic, which
#     must print no tag. A tag that cannot be fixed goes in an override
#     file with a comment saying why.
#
# Prints what it checked; exits 1 at the first check that fails.
set -uo pipefail
dir=$1 version=$2
log=$dir/build.log
fail() { echo "make deb: $*" >&2; exit 1; }

# ---- the build log ----
# Guest runtime lines: -ffreestanding (compiles) and -nostdlib -r (links).
blhc --arch="$(dpkg --print-architecture)" \
	--ignore-line '.*-ffreestanding .*' --ignore-line '.* -nostdlib -r .*' \
	"$log" || fail "blhc: the build does not use dpkg-buildflags' flags (above)"
echo "blhc: the host programs are built with dpkg-buildflags' flags"

want=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CPPFLAGS)
[ -n "$want" ] || fail "dpkg-buildflags gives no CPPFLAGS to check"
n=0 bad=0
while IFS= read -r line; do
	n=$((n + 1))
	for f in $want; do
		case " $line " in
		*" $f "*) ;;
		*) echo "CPPFLAGS missing ($f): $line"; bad=1 ;;
		esac
	done
done < <(grep -E '^(gcc|cc|clang)[^ ]* .* -c ' "$log" | grep -v -- '-ffreestanding')
[ $n -gt 0 ] || fail "no host compile line in $log"
[ $bad = 0 ] || fail "host compiles without dpkg-buildflags' CPPFLAGS (above)"
echo "CPPFLAGS ($want) on all $n host compile lines"

# ---- debug symbols ----
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -q '^[[:space:]]*dh_dwz' "$log" || fail "dh_dwz did not run"
for p in petrel petrel-dev; do
	deb=$(ls "$dir/${p}_${version}_"*.deb 2>/dev/null | head -n 1)
	dbg=$(ls "$dir/${p}-dbgsym_${version}_"*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || fail "no ${p}_${version}_*.deb in $dir"
	[ -n "$dbg" ] || fail "no ${p}-dbgsym_${version}_*.deb in $dir"
	dpkg-deb -x "$deb" "$tmp/$p" && dpkg-deb -x "$dbg" "$tmp/$p-dbgsym" ||
		fail "cannot unpack $deb and $dbg"
	for prog in "$tmp/$p"/usr/bin/*; do
		id=$(readelf -n "$prog" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p')
		[ -n "$id" ] || fail "${prog#"$tmp/$p"} has no build ID"
		debug=$tmp/$p-dbgsym/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
		[ -f "$debug" ] || fail "$p-dbgsym has no symbols for ${prog#"$tmp/$p"} (build ID $id)"
		readelf -S "$debug" 2>/dev/null | grep -q '\.debug_info' ||
			fail "$p-dbgsym: ${debug#"$tmp/$p-dbgsym"} has no .debug_info"
		echo "$p-dbgsym: symbols of ${prog#"$tmp/$p"} (build ID $id)"
	done
done
dwz=$(ls "$tmp/petrel-dbgsym"/usr/lib/debug/.dwz/*/petrel.debug 2>/dev/null)
[ -n "$dwz" ] || fail "petrel-dbgsym has no .dwz file: dwz did not run over petrel's programs"
echo "petrel-dbgsym: dwz's shared file ${dwz#"$tmp/petrel-dbgsym"}"

# ---- lintian ----
changes=$(ls "$dir"/*_"$version"_*.changes 2>/dev/null | head -n 1)
[ -n "$changes" ] || fail "no .changes for $version in $dir"
lintian --display-info --pedantic --fail-on error,warning,info,pedantic \
	"$changes" >"$dir/lintian.txt" 2>"$tmp/lintian.err"
rc=$?
# What lintian says on stderr but its note about running as root (make
# check's install test runs as root) goes with its tags.
grep -vx 'running with root privileges is not recommended!' "$tmp/lintian.err" >>"$dir/lintian.txt"
echo "lintian --display-info --pedantic ${changes##*/}: source and" \
	"$(grep -c '^ [0-9a-f]\{32\} .*\.deb$' "$changes") binary packages"
cat "$dir/lintian.txt"
{ [ $rc = 0 ] && [ ! -s "$dir/lintian.txt" ]; } || fail "lintian printed tags (above)"
echo "lintian: no tag"
