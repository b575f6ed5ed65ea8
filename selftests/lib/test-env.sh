# shellcheck shell=bash
# test_env SRC BUILD: export what test scripts and demo scenes are promised
# (see run-suites.sh): where the tender, guests, tools and module are.
test_env() {
	KVER=$(uname -r)
	export KVER PETREL_SRC=$1 PETREL_BUILD=$2
	export PETREL=$2/tender/petrel GUESTS=$2/guests
	export PETREL_ELFTOOL=$2/bindings/petrel-elftool
	export PETREL_KO=$2/kmod/$KVER/petrel.ko
}

# vm_load_modules: inside the test VM, what every test needs loaded.
vm_load_modules() {
	[ -e /dev/kvm ] || modprobe kvm_amd || modprobe kvm_intel
	[ -e /dev/net/tun ] || modprobe tun
}
