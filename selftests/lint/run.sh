#!/bin/bash
# Static checks, printed as one KTAP document: checkpatch --strict over the
# module sources, sparse over the module for every installed kernel (any
# sparse or compiler warning fails), compat.h's #error for a kernel without
# GENL_MCAST_CAP_NET_ADMIN, the userspace parts built with the other
# compiler (clang when CC is gcc), so both stay -Werror clean, the netlink
# spec abi/petrel.yaml against the kernel's YNL schema and abi/petrel.h
# (ynl_check.py), abi/petrel.h compiled as C and C++ (abi_header.sh), the
# options of each tool in its code, --help, man page and README
# (option_drift.py), and the committed fuzz seeds being text.
# checkpatch.pl comes from Debian's linux-source-6.1 tarball at build time,
# the YNL schema from linux-source-6.12's.
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

# compat.h stops the build where a kernel lacks something petrel.ko must
# not do without: for each kernel, a copy of its header tree (symbolic
# links, but for one edited header) without GENL_MCAST_CAP_NET_ADMIN must
# fail to build the module, with compat.h's #error.
# farm SRC DST: DST mirrors SRC as symbolic links to SRC's files (links in
# SRC become absolute links to what they point at).
farm() {
	local l
	mkdir -p "$2" && cp -as "$1/." "$2" || return 1
	find "$2" -type l ! -lname '/*' | while read -r l; do
		ln -sfn "$(readlink -f "$1/${l#"$2"/}")" "$l"
	done
}
# compat_missing KVER LOG
compat_missing() {
	local k=$1 log=$2 dir=$tmp/compat-$k kdir srcdir inc h
	kdir=$(readlink -f "/lib/modules/$k/build")
	farm "$kdir" "$dir/obj" || return 1
	# Debian splits the headers: the build dir's Makefile includes the
	# common tree's, which is the source tree kbuild greps and compiles
	# against.
	inc=$(sed -n 's/^include \(\/.*\)\/Makefile$/\1/p' "$kdir/Makefile")
	if [ -n "$inc" ]; then
		farm "$inc" "$dir/src" || return 1
		rm -f "$dir/obj/Makefile"
		echo "include $dir/src/Makefile" >"$dir/obj/Makefile"
		srcdir=$dir/src
	else
		srcdir=$dir/obj
	fi
	h=$srcdir/include/net/genetlink.h
	grep -q 'define GENL_MCAST_CAP_NET_ADMIN' "$h" ||
		{ echo "$k: $h has no GENL_MCAST_CAP_NET_ADMIN to take away"; return 1; }
	grep -v 'GENL_MCAST_CAP_NET_ADMIN' "$(readlink -f "$h")" >"$h.new" &&
		rm -f "$h" && mv "$h.new" "$h" || return 1
	mkdir -p "$dir/mod"
	(cd "$src" && tar -cf - Kbuild kmod abi/petrel.h abi/hvt_abi.h) | tar -xf - -C "$dir/mod" || return 1
	if env -u MAKEFLAGS -u MFLAGS make -C "$dir/obj" M="$dir/mod" modules >"$log" 2>&1; then
		echo "$k: petrel.ko built without GENL_MCAST_CAP_NET_ADMIN"
		return 1
	fi
	grep -F 'error: #error "petrel.ko needs GENL_MCAST_CAP_NET_ADMIN' "$log" ||
		{ echo "$k: the build failed, but not with compat.h's #error"; return 1; }
}
for k in $kvers; do
	log=$tmp/compat-$k.log
	compat_missing "$k" "$log" >"$log.result" 2>&1
	rc=$?
	cat "$log.result" >>"$log"
	result $rc "compat-error-without-genl-mcast-cap-$k" "$log"
done

# Each tool's options: the table in its code against its --help, its man
# page and its README section (option_drift.py; one line a tool).
# drift TOOL MAKE_TARGET BINARY OPTION_DRIFT_ARGS... (BINARY under BUILD)
drift() {
	local tool=$1 target=$2 bin=$3 log=$tmp/drift-$1.log
	shift 3
	if make -s -C "$src" BUILD="$BUILD" "$target" >"$log" 2>&1; then
		"${PYTHON3:-/usr/bin/python3}" "$here/option_drift.py" --tool "$tool" \
			--help-cmd "$BUILD/$bin --help" "$@" >>"$log" 2>&1
	else
		false
	fi
	result $? "options-documented-$tool" "$log"
}
drift petrel tender tender/petrel --code "$src/tender/args.c:opt_table" \
	--man "$src/man/petrel.1" --readme "$src/README.md" \
	--section "Running a unikernel by hand"

# The fuzz seeds committed in selftests/unit/corpus are text: binary ones
# are written by fuzz_seeds.c, so the source package has their source.
: >"$tmp/corpus.log"
for f in "$src"/selftests/unit/corpus/*/*; do
	[ -f "$f" ] || continue
	tr -d '\000' <"$f" | cmp -s - "$f" && iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 ||
		echo "${f#"$src"/}: binary (write it in selftests/unit/fuzz_seeds.c)" >>"$tmp/corpus.log"
done
[ ! -s "$tmp/corpus.log" ]
result $? fuzz-corpus-text "$tmp/corpus.log"

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
