# shellcheck shell=bash
# Shared by the host-side harness scripts (vm.sh, check.sh, demo.sh):
# where things are, which kernels exist, and how to complain.

PETREL_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$PETREL_SRC/build}
VM_CACHE=$BUILD/vm

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# kernel_version LABEL: the newest installed Debian kernel of series LABEL
# (6.1, 6.12) that has both a bzImage and its modules, printed as the full
# version (6.1.0-56-amd64). Prints nothing when there is none.
kernel_version() {
	local label=$1 f v best=""
	for f in /boot/vmlinuz-"$label".*; do
		[ -e "$f" ] || continue
		v=${f#/boot/vmlinuz-}
		[ -d "/lib/modules/$v/kernel" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$v" | sed '/^$/d' | sort -V | tail -n 1)
	done
	printf '%s' "$best"
}

# The kernel series the harness tests, in order.
# shellcheck disable=SC2034 # used by the scripts that source this
KERNEL_LABELS="6.1 6.12"

# build_kvm_probe: compile the /dev/kvm self-check for the host's own
# userspace (the test VM runs that userspace). Prints its path.
# The VMs of both kernels call this at once: each builder links in a
# directory of its own and renames it into place, because the linker marks
# its output executable by name at the very end, and a shared temporary
# name ($$ is the same in every subshell) let one builder move the other's
# half-made, not yet executable file into place.
build_kvm_probe() {
	local src=$PETREL_SRC/selftests/lib/kvm-probe.c out=$VM_CACHE/kvm-probe tmp
	mkdir -p "$VM_CACHE"
	if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
		tmp=$(mktemp -d "$out.XXXXXX") || die "cannot create a directory in $VM_CACHE"
		if ! ${CC:-gcc} -std=c11 -O2 -Wall -Wextra -Werror -o "$tmp/kvm-probe" "$src"; then
			rm -rf "$tmp"
			die "cannot build $out"
		fi
		mv -f "$tmp/kvm-probe" "$out"
		rmdir "$tmp"
	fi
	printf '%s' "$out"
}

# Some virtual machines offer a /dev/kvm that runs real-mode code but not
# a 64-bit guest (seen: SSE in long mode ends in KVM_EXIT_INTERNAL_ERROR),
# so the host is used only if the probe and the hello unikernel both run.
host_kvm_runs_petrel() {
	local probe out
	probe=$(build_kvm_probe) || return 1
	[ -c /dev/kvm ] && "$probe" >/dev/null 2>&1 || return 1
	out=$("$BUILD/tender/petrel" --mem=16 -- "$BUILD/guests/hello.hvt" \
		kvm-check 2>&1) && return 0
	echo "${0##*/}: /dev/kvm is here but cannot run a unikernel (${out##*$'\n'})" >&2
	return 1
}
