# shellcheck shell=bash
# Boot the test VM (needs common.sh and ktap.sh sourced first).
#
# The VM is QEMU with TCG and `-cpu max` (software AMD SVM, so KVM works
# inside), running the chosen Debian kernel with a small initramfs whose
# init mounts the host's root read-only over virtio-9p and runs the tests
# in it (see vm-init.sh). Shares: hostroot (/, read-only), petrel (the
# source tree, read-only), petrelbuild (the build tree, read-only).
# Serial port 1 (ttyS0) is the kernel console, port 2 (ttyS1) carries the
# results. Every boot is bounded by timeout(1). no_timer_check: on a busy
# host the emulated timer's first interrupts can come late enough that
# the kernel's boot-time IO-APIC timer check panics ("IO-APIC + timer
# doesn't work!", seen on 6.12 with the machine loaded); virtual machines
# commonly skip that check. tsc=reliable: QEMU's TCG TSC is the host's own
# invariant TSC, but the clocksource watchdog, comparing it with emulated
# timers while the busy host has the vCPU descheduled, can mark it
# unstable, and KVM then adjusts its guests' TSC offsets on vCPU loads:
# the likely cause of kvm/19-time once measuring a 100 ms yield as 86 ms
# in the guest (host load 10; not reproduced since).

VM_MEM=2048
# vCPUs: 1 for the tests; `make bench` boots 2 (VM_SMP=2), because with one
# every two-party path (vCPU thread and its I/O thread or worker, guest
# and host tool) shares a CPU and the figures measure the scheduler.
VM_SMP=${VM_SMP:-1}

# vm_qemu KVER INITRD APPEND CONSOLE OUT TIMEOUT: boot once; the console
# goes to file CONSOLE, the results port to OUT (a file, or "-" for this
# process's stdout). Returns timeout(1)'s status (124: timed out).
vm_qemu() {
	local kver=$1 initrd=$2 append=$3 console=$4 out=$5 secs=$6 outdev
	if [ "$out" = - ]; then
		# shellcheck disable=SC2054 # commas separate QEMU suboptions
		outdev=(-chardev stdio,id=results,signal=off)
	else
		outdev=(-chardev "file,id=results,path=$out")
	fi
	# --foreground: stay in our process group so ^C reaches QEMU too.
	timeout --foreground -k 10 "$secs" qemu-system-x86_64 \
		-M q35 -cpu max -accel tcg -m $VM_MEM -smp "$VM_SMP" \
		-nodefaults -no-reboot -display none -monitor none \
		-kernel "/boot/vmlinuz-$kver" -initrd "$initrd" \
		-append "console=ttyS0 quiet panic=-1 no_timer_check tsc=reliable slub_debug=FZPU $append" \
		-serial "file:$console" \
		"${outdev[@]}" -device isa-serial,chardev=results \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$PETREL_SRC,mount_tag=petrel,security_model=none,readonly=on,multidevs=remap" \
		-virtfs "local,path=$BUILD,mount_tag=petrelbuild,security_model=none,readonly=on,multidevs=remap" \
		</dev/null 2>"$console.qemu"
}

# vm_prepare LABEL: check the kernel, build the initramfs and the KVM
# probe. Sets VM_KVER and VM_INITRD, or prints why not and returns 1.
vm_prepare() {
	local label=$1
	VM_KVER=$(kernel_version "$label")
	if [ -z "$VM_KVER" ]; then
		echo "Linux $label is not installed (no /boot/vmlinuz-$label.* with modules; run scripts/install-deps.sh as root)"
		return 1
	fi
	VM_INITRD=$VM_CACHE/$VM_KVER/initramfs.gz
	"$PETREL_SRC/selftests/lib/initramfs.sh" "$VM_KVER" "$VM_INITRD" 2>&1 || return 1
	mkdir -p "$BUILD"
	build_kvm_probe >/dev/null 2>&1 || { echo "cannot build the KVM probe (selftests/lib/kvm-probe.c)"; return 1; }
}

# vm_test_timeout FILE: the timeout run-suites.sh gives test script FILE
# (its "# timeout:" line or the default, whichever is larger; the default
# is 300 s or PETREL_TEST_TIMEOUT from VM_ENV).
vm_test_timeout() {
	local v def=300
	[[ " ${VM_ENV:-} " =~ \ PETREL_TEST_TIMEOUT=([0-9]+)\  ]] && def=${BASH_REMATCH[1]}
	v=$(sed -n '1,30s/^# timeout: \(soak+\)\{0,1\}\([0-9][0-9]*\)$/\1\2/p' "$1" 2>/dev/null | head -n 1)
	case $v in
	soak+*) v=$((${SOAK_SECONDS:-600} + ${v#soak+})) ;;
	esac
	[ -n "$v" ] && [ "$v" -gt $def ] || v=$def
	echo "$v"
}

# vm_budget EXPECTED: "SILENCE TOTAL" for a VM running the tests listed in
# file EXPECTED (suite<TAB>test lines). The runner prints each test's result
# as it ends, so a results port silent for longer than the longest test
# timeout plus 120 s (boot, the suite's own checks) is a hung VM: SILENCE.
# TOTAL, the boot plus every test's timeout, only bounds a VM that keeps
# talking forever.
vm_budget() {
	local suite test t silence=0 total=120
	while IFS=$'\t' read -r suite test; do
		t=$(vm_test_timeout "$PETREL_SRC/selftests/$suite/$test.sh")
		[ "$t" -gt $silence ] && silence=$t
		total=$((total + t + 15))
	done <"$1"
	echo "$((silence + 120)) $total"
}

# vm_watch FILE SECS PID MARK: stop the VM that PID (a shell running
# vm_qemu) started, and create file MARK, once FILE has not grown for SECS
# seconds. A watchdog: it checks every 5 s.
vm_watch() {
	local file=$1 secs=$2 pid=$3 mark=$4 size last=-1 since=$SECONDS
	while kill -0 "$pid" 2>/dev/null; do
		sleep 5
		size=$(stat -c %s "$file" 2>/dev/null || echo 0)
		if [ "$size" != "$last" ]; then
			last=$size since=$SECONDS
		elif [ $((SECONDS - since)) -ge "$secs" ]; then
			: >"$mark"
			pkill -TERM -P "$pid"
			return
		fi
	done
}

# vm_run_suites LABEL PART SUITES TESTS [SILENCE] [INSTALLED]: run the
# suites in a VM booting Linux LABEL, leaving a KTAP part in directory PART
# (see ktap.sh) plus console.log and results.log. SUITES and TESTS are comma
# lists (empty: all); SILENCE overrides how long the VM may print no result
# before it counts as hung (see vm_budget); INSTALLED=1 tests the installed
# packages (see test-env.sh). Validation errors (unknown suite or test)
# return 2.
vm_run_suites() {
	local label=$1 part=$2 suites=$3 tests=$4 secs=${5:-} installed=${6:-0}
	local nonce rc reason started=0 n total qpid wpid
	mkdir -p "$part"
	: >"$part/console.log"
	: >"$part/results.log"
	"$PETREL_SRC/selftests/lib/run-suites.sh" --src "$PETREL_SRC" --list \
		--suites "$suites" --tests "$tests" >"$part/expected" || return 2
	read -r n total < <(vm_budget "$part/expected")
	[ -n "$secs" ] || secs=$n
	# The build tree's module is the one under test (insmod by path); an
	# installed one (the install test may be installing it on this host,
	# whose root the VM shares, at this very moment) must never be loaded
	# behind a test's back: petrel-stat asking for the netlink family
	# makes the kernel modprobe its alias.
	local noauto=" modprobe.blacklist=petrel"
	[ "$installed" = 1 ] && noauto=""
	if vm_prepare "$label" >"$part/prepare.log"; then
		nonce=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
		rm -f "$part/silent"
		vm_qemu "$VM_KVER" "$VM_INITRD" \
			"petrel_nonce=$nonce petrel_suites=$suites petrel_tests=$tests petrel_installed=$installed$noauto${SOAK_SECONDS:+ petrel_soak_seconds=$SOAK_SECONDS}${VM_ENV:+ $VM_ENV}" \
			"$part/console.log" "$part/results.log" "$total" &
		qpid=$!
		vm_watch "$part/results.log" "$secs" $qpid "$part/silent" &
		wpid=$!
		wait $qpid
		rc=$?
		kill $wpid 2>/dev/null
		wait $wpid 2>/dev/null
		started=1
		if grep -q "^PETREL-KTAP-END $nonce" "$part/results.log"; then
			reason=""
		elif [ -e "$part/silent" ]; then
			reason="the VM (Linux $VM_KVER) printed no result for $secs s: hung, stopped"
		elif [ $rc = 124 ] || [ $rc = 137 ]; then
			reason="the VM (Linux $VM_KVER) ran past $total s (the sum of its tests' timeouts): stopped"
		elif grep -q 'Kernel panic' "$part/console.log"; then
			reason="the VM's kernel (Linux $VM_KVER) panicked"
		else
			reason="the VM (Linux $VM_KVER) stopped early (QEMU exit status $rc)"
		fi
		grep -q "^PETREL-KTAP-BEGIN $nonce" "$part/results.log" || started=0
	else
		reason=$(tail -n 1 "$part/prepare.log")
		nonce=none
	fi
	{ cat "$part/console.log.qemu" 2>/dev/null; tail -n 30 "$part/console.log"; } >"$part/console.tail"
	awk -v expected="$part/expected" -v label="$label" -v nonce="$nonce" \
		-v reason="$reason" -v started=$started -v tail="$part/console.tail" \
		-v counts="$part/counts" -f "$KTAP_LIB/ktap-render.awk" \
		"$part/results.log" >"$part/blocks"
	return 0
}
