#!/bin/sh
# Install the Debian packages petrel needs to build and test, when missing.
# Runs as root on Debian 12; with nothing missing it does nothing and needs
# no network.
set -eu

# One package a line, with why it is needed.
PKGS="
gcc make clang llvm			build, sanitizers, libFuzzer
libclang-rt-14-dev			clang's ASan/UBSan/libFuzzer runtimes
libelf-dev				tender: ELF loading
libseccomp-dev				tender: syscall filter
libjson-c-dev				elftool: Solo5 manifest.json
libmnl-dev				petrel-stat: generic netlink
qemu-system-x86				the test VM (software SVM)
linux-image-amd64			test kernel 6.1
linux-headers-amd64			module build for 6.1
linux-image-6.12-amd64			test kernel 6.12
linux-headers-6.12-amd64		module build for 6.12
linux-source-6.1			checkpatch.pl and the kselftest harness
linux-source-6.12			lint: the kernel's YNL schema for abi/petrel.yaml
python3-yaml				lint: reading abi/petrel.yaml
python3-jsonschema			lint: abi/petrel.yaml against the YNL schema
prometheus				stat tests: promtool check metrics on petrel-stat's output
bsdutils				stat tests: script(1), a terminal for petrel-stat watch
busybox-static				test VM initramfs
cpio					test VM initramfs
kmod					modprobe inside the test VM
iproute2				taps and namespaces in tests
iputils-ping				ping tests
sparse					module static checks (make C=1)
build-essential				make deb: dpkg-buildpackage's build needs
dpkg-dev				make deb: dpkg-buildpackage
debhelper				make deb: dh and the debian/rules sequence
dh-dkms					make deb: dh_dkms for the petrel-dkms package
fakeroot				make deb: root-owned files without root
lintian					make deb: checks the packages it built
blhc					make deb: checks the build log against dpkg-buildflags
dkms					install test: builds petrel-dkms for each kernel
pkgconf					install test: builds guests against petrel-dev
strace					make bench: tender syscalls per packet, start-up
gnuplot-nox				make bench: the throughput chart (PNG)
binutils				make check-solo5: ld and objcopy for Solo5's toolchain
"

missing=""
for p in $(printf '%s\n' "$PKGS" | awk 'NF { print $1 }'); do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing Debian packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
