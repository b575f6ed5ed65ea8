#!/bin/bash
# initramfs.sh KVER OUT: build the test VM's initramfs for kernel KVER.
#
# It holds only busybox-static, the modules needed to reach the host's root
# over virtio-9p, and init (vm-init.sh). Everything else -- bash, kmod,
# iproute2, the tests -- comes from the host's root, mounted read-only by
# init, so the VM runs exactly the userspace the developer has.
#
# The image is rebuilt only when one of its inputs changes: the key is a
# hash of this script, init, busybox and the module files used.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: initramfs.sh KVER OUT" >&2; exit 1; }
kver=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
busybox=/bin/busybox

err() { echo "initramfs.sh: $*" >&2; exit 1; }

[ -d "/lib/modules/$kver/kernel" ] || err "no modules for kernel $kver in /lib/modules/$kver"
if [ ! -x "$busybox" ] || ! "$busybox" --list | grep -x insmod >/dev/null; then
	err "$busybox missing or without insmod (install busybox-static)"
fi
if readelf -l "$busybox" | grep -q INTERP; then
	err "$busybox is dynamically linked (install busybox-static)"
fi

# Modules in load order: the dependency lists of the three drivers we need,
# first occurrence wins. Built-in drivers print "builtin ..." and are skipped.
mods=$(for m in virtio_pci 9pnet_virtio 9p; do
	modprobe -S "$kver" --show-depends "$m" ||
		err "modprobe cannot resolve $m for $kver"
done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }')

key=$( {
	cat "$here/initramfs.sh" "$here/vm-init.sh"
	sha256sum "$busybox"
	for m in $mods; do stat -c '%n %s %Y' "$m"; done
} | sha256sum | cut -d' ' -f1)
if [ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
	exit 0
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/petrel-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,modules,host,newroot}
cp "$busybox" "$stage/bin/busybox"
cp "$here/vm-init.sh" "$stage/init"
chmod 755 "$stage/init"
n=0
for m in $mods; do
	n=$((n + 1))
	name=$(printf '%02d-%s' "$n" "$(basename "${m%.xz}")")
	name=${name%.zst}
	case "$m" in
	*.xz) xz -dc "$m" >"$stage/modules/$name" ;;
	*.zst) zstd -qdc "$m" >"$stage/modules/$name" ;;
	*.gz) gzip -dc "$m" >"$stage/modules/$name" ;;
	*) cp "$m" "$stage/modules/$name" ;;
	esac
done
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -print0 | sort -z |
	cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp.$$"
mv -f "$out.tmp.$$" "$out"
printf '%s\n' "$key" >"$out.key"
