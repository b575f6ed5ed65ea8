# shellcheck shell=bash
# test_env SRC BUILD [INSTALLED]: export what test scripts and demo scenes
# are promised (see run-suites.sh): where the tender, guests, tools and
# module are. INSTALLED=1: the Debian packages' copies instead (the tender
# and elftool in /usr/bin, the module DKMS installed, guests built against
# petrel-dev by install-test.sh), and PETREL_INSTALLED=1.
test_env() {
	KVER=$(uname -r)
	export KVER PETREL_SRC=$1 PETREL_BUILD=$2
	if [ "${3:-0}" = 1 ]; then
		export PETREL_INSTALLED=1 PETREL=/usr/bin/petrel
		export GUESTS=$2/pkg-test/guests PETREL_ELFTOOL=/usr/bin/petrel-elftool
		PETREL_KO=$(modinfo -n petrel 2>/dev/null)
		export PETREL_KO
		return
	fi
	export PETREL=$2/tender/petrel GUESTS=$2/guests
	export PETREL_ELFTOOL=$2/bindings/petrel-elftool
	export PETREL_KO=$2/kmod/$KVER/petrel.ko
}

# vm_load_modules: inside the test VM, what every test needs loaded.
vm_load_modules() {
	[ -e /dev/kvm ] || modprobe kvm_amd || modprobe kvm_intel
	[ -e /dev/net/tun ] || modprobe tun
}
