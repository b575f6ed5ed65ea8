#!/bin/bash
# The petrel.ko DKMS built for this kernel (package petrel-dkms) is the one
# modprobe finds, and it loads: /dev/petrel appears, root-only, and the
# generic netlink family registers. It stays loaded for the next tests.
. "$(dirname "$0")/lib/pkg.sh"
ko=$(modinfo -n petrel 2>&1) || fail "modprobe cannot find petrel: $ko"
case "$ko" in
/lib/modules/"$KVER"/updates/dkms/petrel.ko*) ;;
*) fail "petrel resolves to $ko, not to DKMS's /lib/modules/$KVER/updates/dkms/" ;;
esac
echo "module: $ko, vermagic $(modinfo -F vermagic petrel)"
! grep -q '^petrel ' /proc/modules || fail "petrel was loaded before this test"
modprobe petrel || fail "modprobe petrel"
wait_until "/dev/petrel to appear after modprobe" test -c /dev/petrel
mode=$(stat -c %a /dev/petrel)
[ "$mode" = 600 ] || fail "/dev/petrel has mode $mode, expected 600"
# The loaded module is that file: same GNU build ID.
case "$ko" in
*.xz) xz -dc "$ko" >"$TESTTMP/petrel.ko" ;;
*.zst) zstd -qdc "$ko" >"$TESTTMP/petrel.ko" ;;
*) cp "$ko" "$TESTTMP/petrel.ko" ;;
esac || fail "cannot read $ko"
want=$(readelf -n "$TESTTMP/petrel.ko" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p')
[ -n "$want" ] || fail "$ko has no build ID note"
note=/sys/module/petrel/notes/.note.gnu.build-id
[ -r "$note" ] || fail "$note does not exist"
have=$(od -An -tx1 -v "$note" | tr -d ' \n')
case "$have" in
*"$want") echo "loaded module's build ID: $want" ;;
*) fail "the loaded petrel (note $have) is not $ko (build ID $want)" ;;
esac
genl ctrl get name petrel >/dev/null || fail "generic netlink family petrel is not registered"
echo "loaded; /dev/petrel mode 600; genetlink family petrel registered"
