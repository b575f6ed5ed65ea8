#!/bin/bash
# Static checks, printed as one KTAP document: checkpatch --strict over the
# module sources, sparse over the module for every installed kernel (any
# sparse or compiler warning fails), the userspace parts built with the
# other compiler (clang when CC is gcc), so both stay -Werror clean, the
# netlink spec abi/petrel.yaml against the kernel's YNL schema and
# abi/petrel.h (ynl_check.py), and abi/petrel.h compiled as C and C++
# (abi_header.sh). checkpatch.pl comes from Debian's linux-source-6.1
# tarball at build time, the YNL schema from linux-source-6.12's.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$src/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

n=0
results=()
# result OK NAME LOG: one KTAP line; the log's last lines as diagnostics.
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		results+=("ok $n $2")
	else
		results+=("$(tail -n 30 "$3" | sed 's/^/# /')" "not ok $n $2")
	fi
}

kvers=$(cd /lib/modules && for d in */build; do [ -d "$d" ] && echo "${d%/build}"; done)

make -s -C "$src" "$BUILD/linux-tools/scripts/checkpatch.pl" >"$tmp/cp.log" 2>&1
"$BUILD/linux-tools/scripts/checkpatch.pl" --strict --no-tree --terse \
	--show-types -f "$src"/kmod/*.c "$src"/kmod/*.h >>"$tmp/cp.log" 2>&1
result $? checkpatch-strict "$tmp/cp.log"

# The module's objects (every kmod/*.c is one), as kbuild targets: building
# just these compiles and checks each source without linking the module,
# running modpost or generating its BTF again, which `make modules-all`
# did already; that took about a third of this step.
objs=$(cd "$src" && for f in kmod/*.c; do printf '%s ' "${f%.c}.o"; done)
for k in $kvers; do
	log=$tmp/sparse-$k.log
	rc=0
	make -s -C "$src" "$BUILD/kmod/$k/petrel.ko" >"$log" 2>&1 || rc=1
	if [ $rc = 0 ]; then
		# Rebuild every object with sparse (C=2) and W=1.
		# shellcheck disable=SC2086 # one target a word
		env -u MAKEFLAGS -u MFLAGS make -s -C "/lib/modules/$k/build" \
			M="$BUILD/kmod/$k/src" C=2 W=1 $objs >>"$log" 2>&1 || rc=1
		grep -E 'warning:|error:' "$log" >/dev/null && rc=1
	fi
	result $rc "sparse-w1-$k" "$log"
done

schema=$BUILD/linux-tools-6.12/Documentation/netlink/genetlink-legacy.yaml
make -s -C "$src" "$schema" >"$tmp/ynl.log" 2>&1 &&
	"${PYTHON3:-/usr/bin/python3}" "$here/ynl_check.py" "$src/abi/petrel.yaml" \
		"$schema" "$src/abi/petrel.h" "$tmp" >>"$tmp/ynl.log" 2>&1
result $? ynl-spec "$tmp/ynl.log"

"$here/abi_header.sh" >"$tmp/abi.log" 2>&1
result $? abi-header-c-cxx "$tmp/abi.log"

case "${CC:-gcc}" in
*clang*) other=gcc ;;
*) other=clang ;;
esac
make -s -C "$src" -j2 CC="$other" BUILD="$tmp/other" tender bindings guests bench-tools \
	>"$tmp/other.log" 2>&1
result $? "userspace-werror-$other" "$tmp/other.log"

echo "KTAP version 1"
echo "1..$n"
printf '%s\n' "${results[@]}"
grep -q '^not ok' <(printf '%s\n' "${results[@]}") && exit 1
exit 0
