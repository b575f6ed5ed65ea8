#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# demo.sh: show petrel running a unikernel on KVM (`make demo`).
#
#   selftests/demo.sh [--kernel 6.1|6.12] [SCENE...]
#
# Scenes are selftests/lib/demo/<scene>.sh (default: hello net). With a working
# /dev/kvm they run right here; otherwise in the test VM (QEMU with emulated
# AMD SVM booting Debian's kernel, see vm.sh), the guest's output streamed
# as it comes. Run `make` first. Exit status 0 if every scene succeeded.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
. "$here/lib/ktap.sh"
. "$here/lib/vm-run.sh"

kernel=6.1 scenes=()
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) [ $# -ge 2 ] || die "--kernel needs a value"; kernel=$2; shift 2 ;;
	--kernel=*) kernel=${1#*=}; shift ;;
	-h|--help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	-*) die "unknown option: $1 (see --help)" ;;
	*) scenes+=("$1"); shift ;;
	esac
done
[ ${#scenes[@]} -gt 0 ] || scenes=(hello net)
for s in "${scenes[@]}"; do
	case "$s" in *[!A-Za-z0-9_-]*) die "bad scene name: $s" ;; esac
	[ -x "$here/lib/demo/$s.sh" ] || die "no demo scene named $s (see selftests/lib/demo/)"
done
case " $KERNEL_LABELS " in
*" $kernel "*) ;;
*) die "unknown kernel series: $kernel (known: $KERNEL_LABELS)" ;;
esac

if host_kvm_runs_petrel; then
	echo "demo: /dev/kvm works here; running on this host" >&2
	"$here/lib/demo-in-vm.sh" "${scenes[@]}" | grep -v '^PETREL-DEMO-END 0$'
	exit $?
fi

runs=$(mktemp -d "$VM_CACHE/demo.XXXXXX")
trap 'rm -rf "$runs"' EXIT
vm_prepare "$kernel" >"$runs/prepare.log" || die "$(tail -n 1 "$runs/prepare.log")"
echo "demo: booting Linux $VM_KVER in QEMU (emulated AMD SVM) to run KVM in it" >&2
scene_list=$(IFS=,; echo "${scenes[*]}")
vm_qemu "$VM_KVER" "$VM_INITRD" "petrel_mode=demo petrel_scenes=$scene_list" \
	"$runs/console.log" - $((120 + 75 * ${#scenes[@]})) |
	tr -d '\r' | tee "$runs/out.log" | grep -v '^PETREL-DEMO-END '
rc=${PIPESTATUS[0]}
if grep -qx 'PETREL-DEMO-END 0' "$runs/out.log"; then
	exit 0
fi
if grep -q '^PETREL-DEMO-END ' "$runs/out.log"; then
	exit 1
fi
[ "$rc" = 124 ] && die "the VM timed out"
echo "demo: the VM stopped before the demo finished; its console said:" >&2
tail -n 20 "$runs/console.log" >&2
exit 1
