#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# install-test.sh: the Debian packages, installed on this host as a user
# would install them.
#
#   selftests/install-test.sh [--host] [--debs DIR] [--parts DIR]
#
#   --host   run the pkg suite on this host's /dev/kvm, not in the VMs
#   --debs   the packages to test (default: run `make deb`, as a step of
#            the test, and take them from $BUILD/deb)
#   --parts  leave the KTAP parts in DIR (listed in DIR/order, as they
#            finish) for check.sh instead of printing a report
#
# Installs petrel, petrel-dkms and petrel-dev with apt-get (waiting for
# the dpkg lock if another install holds it); checks that DKMS
# built and installed petrel.ko for both test kernels (6.1, 6.12); builds
# the hello and net guests against the installed bindings (pkg-config,
# petrel-elftool); boots the test VM on each kernel to run the pkg suite
# (the DKMS-built module loads, then hello and the net tests run on the
# installed tender: the VM shares this host's root; the module unloads,
# and the package's modules-load.d entry loads it again as at boot); then
# purges the packages and checks that nothing of them is left.
#
# Needs root, and a host without petrel packages, DKMS entries or /usr/src
# sources: it refuses to start otherwise (that is a failure, not a skip),
# since it must not disturb an installation it did not make. Whatever
# happens once it has started (a failure, a timeout, ^C), a trap purges
# the packages, removes petrel from the DKMS tree and deletes the signing
# key DKMS made if there was none, so the host ends as it began. Every step
# is bounded by timeout(1). Only one install test runs at a time on a host.
#
# KTAP subtests: install (host), pkg-6.1 and pkg-6.12 (the VMs; pkg-host
# with --host), purge (host); then "N passed, N failed". Exit 0 only if
# nothing failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
. "$here/lib/ktap.sh"
. "$here/lib/vm-run.sh"

debs="" parts="" host=0
while [ $# -gt 0 ]; do
	case "$1" in
	--host) host=1; shift ;;
	--debs) [ $# -ge 2 ] || die "--debs needs a value"; debs=$2; shift 2 ;;
	--parts) [ $# -ge 2 ] || die "--parts needs a value"; parts=$2; shift 2 ;;
	-h|--help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
done
make_deb=0
if [ -n "$debs" ]; then
	debs=$(cd "$debs" 2>/dev/null && pwd) || die "no directory $debs"
else
	debs=$BUILD/deb make_deb=1
fi

PKGS="petrel petrel-dkms petrel-dev"
VERSION=$(sed -n 's/^PACKAGE_VERSION="\([^"]*\)"$/\1/p' "$PETREL_SRC/dkms.conf")
[ -n "$VERSION" ] || die "no PACKAGE_VERSION in $PETREL_SRC/dkms.conf"
# Bounds, not expectations: installing builds the module for two kernels
# (about a minute on two idle cores).
DPKG_TIMEOUT=900
PURGE_TIMEOUT=300
APT=(apt-get -y -q --no-install-recommends -o DPkg::Lock::Timeout=600)
export DEBIAN_FRONTEND=noninteractive
LOCK=/run/lock/petrel-install-test.lock
MOK=/var/lib/dkms/mok

note() { echo "install-test: $*" >&2; }

mkdir -p "$VM_CACHE"
if [ -n "$parts" ]; then
	mkdir -p "$parts"
	: >"$parts/order"
	keep=1
else
	parts=$(mktemp -d "$VM_CACHE/install.XXXXXX")
	keep=0
fi

# ---- one host-side subtest: a KTAP document of steps ----
part="" doc="" nstep=0 part_failed=0

part_begin() {
	part=$1
	mkdir -p "$parts/$part"
	doc=$parts/$part/doc
	: >"$doc.body"
	nstep=0 part_failed=0
}

# step NAME CMD...: run CMD, its output as diagnostics, its status the result.
step() {
	local name=$1 rc t0=$SECONDS
	shift
	nstep=$((nstep + 1))
	note "$part: $name"
	# In the background, so that a signal reaches the trap at once (bash
	# runs traps between commands, and wait is interruptible). The step's
	# own shell ignores TERM (a timeout signals our whole process group),
	# so that the trap still finds what it started and stops all of it;
	# the programs it runs get TERM's default back (timeout(1) resets it).
	( trap '' TERM; "$@" ) >"$parts/$part/step.log" 2>&1 &
	step_pid=$!
	wait $step_pid
	rc=$?
	step_pid=""
	sed 's/^/# /' "$parts/$part/step.log" >>"$doc.body"
	echo "# took $((SECONDS - t0)) s" >>"$doc.body"
	if [ $rc = 0 ]; then
		echo "ok $nstep $name" >>"$doc.body"
	else
		echo "not ok $nstep $name" >>"$doc.body"
		part_failed=1
	fi
	return $rc
}

# not_run NAME WHY: a step that could not run counts as failed.
not_run() {
	nstep=$((nstep + 1))
	printf '# not run: %s\nnot ok %d %s\n' "$2" "$nstep" "$1" >>"$doc.body"
	part_failed=1
}

part_end() {
	{ echo "KTAP version 1"; echo "1..$nstep"; cat "$doc.body"; } >"$doc"
	ktap_part_nest "$parts/$part" "$part" 0 "$doc"
	echo "$part" >>"$parts/order"
}

# ---- what the host looks like ----
installed_pkgs() {
	local p
	for p in $PKGS; do
		case "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" in
		''|un*|pn*) ;;
		*) printf '%s ' "$p" ;;
		esac
	done
}

# Every file or directory named after petrel where packages, DKMS and
# modules live; compared before and after.
petrel_files() {
	find /usr /etc /var/lib/dkms /var/lib/dpkg/info -xdev -name '*petrel*' \
		-not -path '/usr/share/doc/*' 2>/dev/null | sort
	find /usr/share/doc -maxdepth 1 -name 'petrel*' 2>/dev/null | sort
}

dkms_petrel() { dkms status -m petrel 2>/dev/null; }

host_clean() {
	local bad=0 p
	[ "$(id -u)" = 0 ] || { echo "needs root (installs packages)"; return 1; }
	p=$(installed_pkgs)
	[ -z "$p" ] || { echo "already installed: $p"; bad=1; }
	[ -z "$(dkms_petrel)" ] || { echo "DKMS already has petrel:"; dkms_petrel; bad=1; }
	[ ! -e "/usr/src/petrel-$VERSION" ] || { echo "/usr/src/petrel-$VERSION exists"; bad=1; }
	if [ $bad = 1 ]; then
		echo "this host is not clean: the install test will not touch an installation it did not make"
		return 1
	fi
	echo "no petrel packages, DKMS entries or sources; $(wc -l <"$parts/before") petrel-named files elsewhere"
}

# ---- putting the host back (the trap; safe to run any number of times) ----
armed=0
mok_existed=1
step_pid=""
vm_pids=()

# descendants PID: every process below PID, deepest first (all collected
# before anything is killed, so that none escapes by being re-parented).
descendants() {
	local c
	for c in $(pgrep -P "$1"); do
		descendants "$c"
		echo "$c"
	done
}

# stop_tree PID: end PID and everything it started (a step that was
# interrupted: apt, dpkg, DKMS's builds, a VM).
stop_tree() {
	local pids
	kill -0 "$1" 2>/dev/null || return 0
	pids="$(descendants "$1") $1"
	# shellcheck disable=SC2086
	kill -TERM $pids 2>/dev/null
	sleep 2
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null
	wait "$1" 2>/dev/null
}

cleanup() {
	local k p
	[ -n "$step_pid" ] && stop_tree "$step_pid"
	for p in "${vm_pids[@]}"; do stop_tree "$p"; done
	[ $armed = 1 ] || return 0
	if [ -n "$(installed_pkgs)" ]; then
		note "cleanup: purging $(installed_pkgs)"
		# shellcheck disable=SC2046
		# An interrupted dpkg leaves half-configured packages; the
		# lock is free once it is gone.
		timeout -k 10 $PURGE_TIMEOUT "${APT[@]}" -o DPkg::Lock::Timeout=60 \
			purge $(installed_pkgs) >&2 ||
			timeout -k 10 $PURGE_TIMEOUT dpkg --purge --force-remove-reinstreq \
				$(installed_pkgs) >&2
	fi
	if [ -n "$(dkms_petrel)" ]; then
		note "cleanup: dkms remove petrel/$VERSION --all"
		timeout -k 10 $PURGE_TIMEOUT dkms remove "petrel/$VERSION" --all >&2
	fi
	rm -rf "/var/lib/dkms/petrel" "/usr/src/petrel-$VERSION"
	for k in /lib/modules/*/updates/dkms/petrel.ko*; do
		[ -e "$k" ] || continue
		note "cleanup: removing $k"
		rm -f "$k"
		k=${k#/lib/modules/}
		depmod "${k%%/*}"
	done
	if [ $mok_existed = 0 ]; then
		rm -f "$MOK.key" "$MOK.pub"
	fi
}

on_exit() {
	# To the script's own stderr, whatever redirection was active.
	cleanup >&8 2>&8
	[ $keep = 1 ] || rm -rf "$parts"
}
exec 8>&2
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- the steps ----
make_deb() {
	make -C "$PETREL_SRC" --no-print-directory BUILD="$BUILD" deb
}

install_debs() {
	local p f files=()
	for p in $PKGS; do
		f=$(ls "$debs/${p}_${VERSION}_"*.deb 2>/dev/null | head -n 1)
		[ -n "$f" ] || { echo "no ${p}_${VERSION}_*.deb in $debs (make deb)"; return 1; }
		files+=("$f")
	done
	echo "apt-get install ${files[*]}"
	timeout -k 10 $DPKG_TIMEOUT "${APT[@]}" install "${files[@]}"
}

dkms_built() {
	local label=$1 kver ko vm
	kver=$(kernel_version "$label")
	[ -n "$kver" ] || { echo "Linux $label is not installed"; return 1; }
	dkms status -m petrel -v "$VERSION" -k "$kver"
	dkms status -m petrel -v "$VERSION" -k "$kver" | grep -q ': installed$' ||
		{ echo "DKMS did not install petrel/$VERSION for $kver"; return 1; }
	ko=$(modinfo -k "$kver" -n petrel) || { echo "modinfo finds no petrel for $kver"; return 1; }
	case "$ko" in
	/lib/modules/"$kver"/updates/dkms/petrel.ko*) ;;
	*) echo "petrel for $kver resolves to $ko, not DKMS's"; return 1 ;;
	esac
	vm=$(modinfo -k "$kver" -F vermagic petrel)
	echo "$ko: vermagic $vm"
	[ "${vm%% *}" = "$kver" ] || { echo "built for ${vm%% *}, not $kver"; return 1; }
}

# The guests the pkg suite runs, built the way a user of petrel-dev would:
# pkg-config for the flags, the installed petrel-elftool for the manifest.
build_guests() {
	local out=$BUILD/pkg-test/guests src=$PETREL_SRC/selftests/guests g code mft
	local cflags libs
	rm -rf "$out"
	mkdir -p "$out"
	cflags=$(pkg-config --cflags petrel-hvt) || return 1
	libs=$(pkg-config --libs petrel-hvt) || return 1
	echo "cflags: $cflags"
	echo "libs: $libs"
	for g in hello:hello:empty net:net:net net2:net:net2; do
		IFS=: read -r g code mft <<<"$g"
		# shellcheck disable=SC2086 # flags are words
		/usr/bin/petrel-elftool gen-manifest "$src/$mft.json" "$out/$g.mft.c" &&
		gcc -O2 $cflags -c -o "$out/$g.o" "$src/$code.c" &&
		gcc -O2 $cflags -c -o "$out/$g.mft.o" "$out/$g.mft.c" &&
		gcc -o "$out/$g.hvt" $libs "$out/$g.o" "$out/$g.mft.o" ||
			{ echo "cannot build $g against petrel-dev"; return 1; }
		echo "$g.hvt: $(/usr/bin/petrel-elftool query-abi "$out/$g.hvt")"
	done
	/usr/bin/petrel --version
}

# What an administrator reads after installing: each package's
# README.Debian (dh_compress gzips one over 4 KiB) with the topics it must
# cover, and the man pages.
docs_installed() {
	local bad=0 pkg f topic topics
	for pkg in petrel-dkms:linux-headers:'dkms status':mokutil:modules-load.d \
		petrel:/dev/petrel:--net-ring:solo5-compat:dbgsym; do
		IFS=: read -r pkg topics <<<"$pkg"
		f=$(ls /usr/share/doc/"$pkg"/README.Debian* 2>/dev/null | head -n 1)
		[ -n "$f" ] || { echo "$pkg has no README.Debian"; bad=1; continue; }
		IFS=: read -ra topics <<<"$topics"
		for topic in "${topics[@]}"; do
			zcat -f "$f" | grep -qF -- "$topic" ||
				{ echo "$f does not mention $topic"; bad=1; }
		done
		echo "$f: ${topics[*]}"
	done
	for f in man1/petrel.1 man8/petrel-stat.8 man1/petrel-elftool.1; do
		[ -f "/usr/share/man/$f.gz" ] || { echo "no /usr/share/man/$f.gz"; bad=1; }
	done
	return $bad
}

purge() {
	local p
	p=$(installed_pkgs)
	[ -n "$p" ] || { echo "none of $PKGS is installed"; return 0; }
	echo "apt-get purge $p"
	# shellcheck disable=SC2086
	timeout -k 10 $PURGE_TIMEOUT "${APT[@]}" purge $p
}

nothing_left() {
	local bad=0 p k
	p=$(installed_pkgs)
	[ -z "$p" ] || { echo "still installed: $p"; bad=1; }
	[ -z "$(dkms_petrel)" ] || { echo "DKMS still has petrel:"; dkms_petrel; bad=1; }
	[ ! -e /var/lib/dkms/petrel ] || { echo "/var/lib/dkms/petrel is left"; bad=1; }
	[ ! -e "/usr/src/petrel-$VERSION" ] || { echo "/usr/src/petrel-$VERSION is left"; bad=1; }
	for k in /lib/modules/*; do
		[ -d "$k" ] || continue
		grep -q 'petrel\.ko' "$k/modules.dep" 2>/dev/null &&
			{ echo "$k/modules.dep still lists petrel"; bad=1; }
	done
	# DKMS makes a module signing key on its first build; it is not the
	# packages' to remove, but this test made it.
	if [ $mok_existed = 0 ] && [ -e "$MOK.key" ]; then
		echo "DKMS made $MOK.key for this test: removed"
		rm -f "$MOK.key" "$MOK.pub"
	fi
	petrel_files >"$parts/after"
	if ! diff -u "$parts/before" "$parts/after"; then
		echo "files named after petrel differ from before the install (above)"
		bad=1
	fi
	[ $bad = 0 ] && echo "no package, DKMS entry, module, source or file of petrel is left"
}

# pkg_on_host PART: the pkg suite on this host's /dev/kvm (as check.sh
# --host runs the other suites).
pkg_on_host() {
	local p=$1 nonce reason=""
	mkdir -p "$p"
	build_kvm_probe >/dev/null || { ktap_part_fail "$p" pkg-host "cannot build the KVM probe"; return; }
	"$here/lib/run-suites.sh" --src "$PETREL_SRC" --list --suites pkg \
		--tests "$tests" >"$p/expected"
	nonce=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
	"$here/lib/run-suites.sh" --src "$PETREL_SRC" --build "$BUILD" --installed \
		--suites pkg --tests "$tests" --nonce "$nonce" >"$p/results.log" 2>"$p/stderr.log"
	grep -q "^PETREL-KTAP-END $nonce" "$p/results.log" || reason="the test runner stopped early"
	awk -v expected="$p/expected" -v label=host -v nonce="$nonce" \
		-v reason="$reason" -v started=1 -v tail="$p/stderr.log" \
		-v counts="$p/counts" -f "$KTAP_LIB/ktap-render.awk" \
		"$p/results.log" >"$p/blocks"
}

# ---- run ----
exec 9>"$LOCK" || die "cannot open $LOCK"
note "waiting for any other install test on this host"
flock -w 3600 9 || die "another install test held $LOCK for an hour"

part_begin install
petrel_files >"$parts/before"
[ -e "$MOK.key" ] || mok_existed=0
debs_ok=1
if [ $make_deb = 1 ]; then
	step make-deb make_deb || debs_ok=0
fi
installed=0
if step host-clean host_clean; then
	armed=1
	if [ $debs_ok = 0 ]; then
		not_run dpkg-install "make deb failed"
	elif step dpkg-install install_debs; then
		installed=1
	fi
	if [ $installed = 1 ]; then
		for l in $KERNEL_LABELS; do
			step "dkms-built-$l" dkms_built "$l"
		done
		step guests-from-petrel-dev build_guests
		step docs-installed docs_installed
	else
		for l in $KERNEL_LABELS; do not_run "dkms-built-$l" "the packages did not install"; done
		not_run guests-from-petrel-dev "the packages did not install"
		not_run docs-installed "the packages did not install"
	fi
else
	not_run dpkg-install "the host is not clean (see host-clean)"
fi
install_failed=$part_failed
part_end

tests=10-dkms-module,15-solo5-hvt-link,20-hello,30-net-ping,31-net-udp-echo,32-net-two-ifaces,90-unload,95-modules-load
if [ $host = 1 ]; then
	labels=host
else
	labels=$KERNEL_LABELS
fi
for l in $labels; do
	if [ $install_failed = 1 ]; then
		ktap_part_fail "$parts/pkg-$l" "pkg-$l" "not run: the install part failed"
	elif [ "$l" = host ]; then
		note "pkg suite on this host"
		pkg_on_host "$parts/pkg-host"
	else
		note "pkg suite in the Linux $l VM"
		vm_run_suites "$l" "$parts/pkg-$l" pkg "$tests" "" 1 &
		vm_pids+=($!)
	fi
done
wait
vm_pids=()
for l in $labels; do echo "pkg-$l" >>"$parts/order"; done

part_begin purge
if [ $armed = 1 ]; then
	step dpkg-purge purge
	step nothing-left nothing_left
else
	not_run dpkg-purge "nothing was installed"
	not_run nothing-left "nothing was installed"
fi
part_end

if [ $keep = 0 ]; then
	mapfile -t order <"$parts/order"
	ktap_combine "${order[@]/#/$parts/}"
fi
