#!/bin/bash
# The petrel package's solo5-hvt and solo5-hvt.2, the names albatross
# looks for: links to /usr/bin/petrel in /usr/libexec/petrel/solo5-compat/,
# a directory of their own (nothing named solo5-hvt* in /usr/bin from
# petrel). Found by name as albatross finds them (that directory first in
# the PATH), --version has the line "ABI version 2" and status 0, and the
# link runs hello built against petrel-dev.
. "$(dirname "$0")/lib/pkg.sh"
dir=/usr/libexec/petrel/solo5-compat
# The package's own file list, read once: dpkg -S would search every
# package's list, which takes most of a minute in the emulated test VM.
files=$(dpkg -L petrel) || fail "dpkg -L petrel: status $?"
for n in solo5-hvt solo5-hvt.2; do
	[ -L "$dir/$n" ] || fail "$dir/$n is not a symbolic link"
	[ "$(readlink -f "$dir/$n")" = /usr/bin/petrel ] ||
		fail "$dir/$n resolves to $(readlink -f "$dir/$n"), not /usr/bin/petrel"
	case $(readlink "$dir/$n") in
	/*) fail "$dir/$n is an absolute link (Debian policy: relative)" ;;
	esac
	grep -qxF "$dir/$n" <<<"$files" ||
		fail "$dir/$n does not belong to the petrel package"
	echo "$dir/$n -> $(readlink "$dir/$n")"
done
if grep -E '^/usr/(s?bin)/solo5' <<<"$files"; then
	fail "the petrel package puts a solo5 name in /usr/bin"
fi
# albatross: solo5-hvt.2, then solo5-hvt, by PATH.
for n in solo5-hvt.2 solo5-hvt; do
	found=$(PATH=$dir:$PATH command -v "$n") || fail "$n not found on the PATH"
	[ "$found" = "$dir/$n" ] || fail "$n found at $found"
	out=$("$found" --version 2>&1) || fail "$n --version: status $?"
	printf '%s --version:\n%s\n' "$n" "$out"
	grep -qx 'ABI version 2' <<<"$out" || fail "$n --version: no line 'ABI version 2'"
done
out=$("$dir/solo5-hvt" --mem=32 -- "$GUESTS/hello.hvt" via solo5-hvt 2>&1) ||
	fail "hello through solo5-hvt: status $?: $out"
echo "$out"
grep -qx "Command line is: 'via solo5-hvt'" <<<"$out" || fail "hello did not run through solo5-hvt"
