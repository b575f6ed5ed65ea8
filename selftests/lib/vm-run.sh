# shellcheck shell=bash
# Boot the test VM (needs common.sh and ktap.sh sourced first).
#
# The VM is QEMU with TCG and `-cpu max` (software AMD SVM, so KVM works
# inside), running the chosen Debian kernel with a small initramfs whose
# init mounts the host's root read-only over virtio-9p and runs the tests
# in it (see vm-init.sh). Shares: hostroot (/, read-only), petrel (the
# source tree, read-only), petrelbuild (the build tree, read-only).
# Serial port 1 (ttyS0) is the kernel console, port 2 (ttyS1) carries the
# results. Every boot is bounded by timeout(1).

VM_MEM=2048

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
		-M q35 -cpu max -accel tcg -m $VM_MEM -smp 1 \
		-nodefaults -no-reboot -display none -monitor none \
		-kernel "/boot/vmlinuz-$kver" -initrd "$initrd" \
		-append "console=ttyS0 quiet panic=-1 slub_debug=FZPU $append" \
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

# vm_budget EXPECTED: seconds for a VM running the tests listed in file
# EXPECTED (suite<TAB>test lines): 120 for the boot, 75 a test, more for a
# test whose "# timeout:" line asks for more (see run-suites.sh).
vm_budget() {
	local suite test f v t total=120
	while IFS=$'\t' read -r suite test; do
		t=75
		f=$PETREL_SRC/selftests/$suite/$test.sh
		if [ -f "$f" ]; then
			v=$(sed -n '1,30s/^# timeout: \(soak+\)\{0,1\}\([0-9][0-9]*\)$/\1\2/p' "$f" | head -n 1)
			case $v in
			soak+*) v=$((${SOAK_SECONDS:-600} + ${v#soak+})) ;;
			esac
			[ -n "$v" ] && [ $((v + 15)) -gt $t ] && t=$((v + 15))
		fi
		total=$((total + t))
	done <"$1"
	echo $total
}

# vm_run_suites LABEL PART SUITES TESTS [TIMEOUT] [INSTALLED]: run the suites
# in a VM booting Linux LABEL, leaving a KTAP part in directory PART (see
# ktap.sh) plus console.log and results.log. SUITES and TESTS are comma
# lists (empty: all); INSTALLED=1 tests the installed packages (see
# test-env.sh). Validation errors (unknown suite or test) return 2.
vm_run_suites() {
	local label=$1 part=$2 suites=$3 tests=$4 secs=${5:-} installed=${6:-0}
	local nonce rc reason started=0 n
	mkdir -p "$part"
	: >"$part/console.log"
	: >"$part/results.log"
	"$PETREL_SRC/selftests/lib/run-suites.sh" --src "$PETREL_SRC" --list \
		--suites "$suites" --tests "$tests" >"$part/expected" || return 2
	[ -n "$secs" ] || secs=$(vm_budget "$part/expected")
	if vm_prepare "$label" >"$part/prepare.log"; then
		nonce=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
		vm_qemu "$VM_KVER" "$VM_INITRD" \
			"petrel_nonce=$nonce petrel_suites=$suites petrel_tests=$tests petrel_installed=$installed${SOAK_SECONDS:+ petrel_soak_seconds=$SOAK_SECONDS}${VM_ENV:+ $VM_ENV}" \
			"$part/console.log" "$part/results.log" "$secs"
		rc=$?
		started=1
		if grep -q "^PETREL-KTAP-END $nonce" "$part/results.log"; then
			reason=""
		elif [ $rc = 124 ] || [ $rc = 137 ]; then
			reason="the VM (Linux $VM_KVER) timed out after $secs s"
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
