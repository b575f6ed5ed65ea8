#!/bin/bash
# petrel-dkms ships /usr/lib/modules-load.d/petrel.conf, so that the module
# is loaded at boot: a tender started before it is loaded runs its guests
# on hypercalls and is never listed by petrel-stat. The file belongs to
# petrel-dkms and names exactly the module petrel; read as
# systemd-modules-load.service reads it at boot (its own program, given
# just that file), it loads the DKMS-built module. Runs after 90-unload,
# and unloads the module again.
. "$(dirname "$0")/lib/pkg.sh"
conf=/usr/lib/modules-load.d/petrel.conf
[ -f "$conf" ] || fail "$conf is not installed"
dpkg -S "$conf" 2>/dev/null | grep -q '^petrel-dkms:' ||
	fail "$conf does not belong to the petrel-dkms package"
cat "$conf"
# modules-load.d(5): one module a line; '#' and ';' start comments.
mods=$(sed -e 's/^[[:space:]]*//' -e '/^[#;]/d' -e '/^$/d' "$conf")
[ "$mods" = petrel ] || fail "$conf names '$mods', not exactly petrel"

! grep -q '^petrel ' /proc/modules || fail "petrel is loaded before this test (90-unload unloads it)"
prog=""
for p in /usr/lib/systemd/systemd-modules-load /lib/systemd/systemd-modules-load; do
	[ -x "$p" ] && { prog=$p; break; }
done
if [ -n "$prog" ]; then
	echo "$prog $conf"
	"$prog" "$conf" || fail "$prog $conf: status $?"
else
	# No systemd here: load what the file names as it would.
	echo "no systemd-modules-load: modprobe what $conf names"
	modprobe "$mods" || fail "modprobe $mods"
fi
grep -q '^petrel ' /proc/modules || fail "petrel is not loaded after reading $conf"
wait_until "/dev/petrel to appear" test -c /dev/petrel
ko=$(modinfo -n petrel)
case "$ko" in
/lib/modules/"$KVER"/updates/dkms/petrel.ko*) echo "loaded $ko" ;;
*) fail "petrel resolves to $ko, not DKMS's" ;;
esac
rmmod petrel || fail "rmmod petrel"
