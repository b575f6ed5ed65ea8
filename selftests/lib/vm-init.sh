#!/bin/busybox sh
# shellcheck shell=dash
# /init of the test VM (see initramfs.sh). Loads the 9p modules, builds a
# root from the host's root (read-only 9p share "hostroot") with private
# tmpfs for /tmp, /run and /var/tmp, mounts the source tree ("petrel") and
# the build tree ("petrelbuild") read-only, and runs the in-VM test runner
# in it as the real root (switch_root). Results go to the second serial port; the console only carries
# kernel messages and errors. Always ends with a power-off, so QEMU exits.
#
# Parameters arrive as kernel command line words of the form name=value,
# which the kernel hands to init as environment variables:
#   petrel_mode=test|demo|bench  petrel_suites=a,b  petrel_tests=x,y
#   petrel_bench_quick=1  petrel_bench_solo5=1
#   petrel_bench_paths=a,b  petrel_bench_sizes=a,b  petrel_bench_parts=a,b
#                          (bench/run.sh's)
#   petrel_nonce=...       petrel_label=6.1
#   petrel_installed=1     test the installed packages (run-suites --installed)

bb=/bin/busybox
[ "${1:-}" = stage2 ] && bb=/run/petrel/busybox

halt() {
	echo "petrel-vm: $*" >/dev/console
	$bb sync
	$bb poweroff -f
	$bb sleep 5
}

if [ "${1:-}" = stage2 ]; then
	export HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	export LANG=C.UTF-8 TERM=dumb
	cd /
	case "${petrel_mode:-test}" in
	demo)
		# shellcheck disable=SC2046 # one argument per scene
		/bin/bash /petrel/selftests/lib/demo-in-vm.sh --vm \
			$(echo "${petrel_scenes:-hello}" | tr , " ") >/dev/ttyS1 2>&1 </dev/null
		;;
	bench)
		/bin/bash /petrel/bench/run.sh --vm ${petrel_bench_quick:+--quick} \
			${petrel_bench_solo5:+--solo5} \
			${petrel_bench_paths:+--paths "$petrel_bench_paths"} \
			${petrel_bench_sizes:+--sizes "$petrel_bench_sizes"} \
			${petrel_bench_parts:+--parts "$petrel_bench_parts"} \
			>/dev/ttyS1 2>&1 </dev/null
		;;
	*)
		inst=""
		[ "${petrel_installed:-0}" = 1 ] && inst=--installed
		# shellcheck disable=SC2086 # $inst: no word or one
		/bin/bash /petrel/selftests/lib/run-suites.sh \
			--src /petrel --build /petrel-build --vm $inst \
			--nonce "${petrel_nonce:-none}" \
			--suites "${petrel_suites:-}" --tests "${petrel_tests:-}" \
			>/dev/ttyS1 2>/dev/console </dev/null
		;;
	esac
	halt "done"
fi

/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

for m in /modules/*.ko; do
	insmod "$m" || halt "insmod $m failed"
done

p9="trans=virtio,version=9p2000.L,msize=512000"
mount -t 9p -o "$p9,ro,cache=loose" hostroot /host || halt "cannot mount hostroot"
mount -t tmpfs -o mode=0755 root /newroot || halt "cannot mount tmpfs root"

# The host's top-level directories, bind-mounted one by one so the new root
# can have its own /petrel, /proc, /tmp...; symlinks (merged /usr) copied.
for e in /host/* /host/.[!.]*; do
	[ -e "$e" ] || [ -L "$e" ] || continue
	name=${e#/host/}
	if [ -L "$e" ]; then
		ln -s "$(readlink "$e")" "/newroot/$name"
		continue
	fi
	[ -d "$e" ] || continue
	mkdir "/newroot/$name"
	case "$name" in
	proc|sys|dev|run|tmp) ;;
	*) mount -o bind "$e" "/newroot/$name" || halt "cannot bind $e" ;;
	esac
done

r=/newroot
mkdir -p $r/proc $r/sys $r/dev $r/run $r/tmp $r/petrel $r/petrel-build
mount -t proc proc $r/proc
mount -t sysfs sysfs $r/sys
mount -t devtmpfs devtmpfs $r/dev
mkdir -p $r/dev/pts $r/dev/shm
ln -s /proc/self/fd $r/dev/fd
ln -s /proc/self/fd/0 $r/dev/stdin
ln -s /proc/self/fd/1 $r/dev/stdout
ln -s /proc/self/fd/2 $r/dev/stderr
mount -t devpts devpts $r/dev/pts
mount -t tmpfs tmpfs $r/dev/shm
mount -t tmpfs -o mode=1777 tmpfs $r/tmp
mount -t tmpfs -o mode=0755 tmpfs $r/run
[ -d $r/var/tmp ] && mount -t tmpfs -o mode=1777 tmpfs $r/var/tmp
mount -t debugfs debugfs $r/sys/kernel/debug 2>/dev/null
mount -t 9p -o "$p9,ro,cache=loose" petrel $r/petrel || halt "cannot mount petrel source share"
mount -t 9p -o "$p9,ro,cache=loose" petrelbuild $r/petrel-build ||
	halt "cannot mount petrel build share"

# Make the new root the real root (not a chroot): the kernel runs helpers
# such as modprobe for module autoloading in init's root. Busybox and this
# script come along in /run to finish the job from there.
mkdir -p $r/run/petrel
cp /bin/busybox /init $r/run/petrel/
exec switch_root $r /run/petrel/busybox sh /run/petrel/init stage2
