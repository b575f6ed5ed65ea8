#!/bin/bash
# shellcheck source-path=SCRIPTDIR
# run.sh: take every benchmark measurement on this machine (in the test VM,
# started by bench.sh through vm-init.sh with --vm, or directly on a host
# whose /dev/kvm runs petrel) and print them as records, one a line:
#   M key=value...            what was measured, and where
#   R kind=net path=P test=T size=S key=value...
#                             one throughput or echo run; P is a path (see
#                             below); T is g2h (guest to host), h2g or echo
#   R kind=syscalls path=P test=T size=S frames=N syscalls=N
#   R kind=start path=P key=value...
#                             start-up time and resident memory of a
#                             tender and image: P is petrel (bench.hvt),
#                             or with --solo5 solo5bin and solo5hvt
#   R kind=rss path=P key=value...
#                             where that resident memory goes (KiB per
#                             kind of mapping, see rss_breakdown)
#   NA path=P REASON...       a path that could not be measured, and why
#   E what went wrong         a run that failed (the others still run)
# ending with "PETREL-BENCH-END <status>". bench/report.sh turns them into
# the table, the JSON file and the chart.
#
#   bench/run.sh [--vm] [--quick] [--solo5] [--paths a,b] [--sizes a,b]
#                [--tests a,b] [--parts a,b]
#
# Paths:
#   hypercall  bench.hvt on petrel, --net-ring=off: an exit per frame
#   ring       bench.hvt on petrel, --net-ring=on: petrel.ko's own rings
#   solo5ring  bench-solo5ring.hvt (bench.c speaking Solo5's ring protocol,
#              as a Solo5 0.11+ image does) on petrel, --net-ring=on:
#              Solo5's ring served by petrel.ko
#   solo5bin   bench-solo5.hvt (bench.c built with Solo5's own toolchain
#              and bindings) on petrel, --net-ring=on           [--solo5]
#   solo5hvt   the same bench-solo5.hvt on Solo5's solo5-hvt, its ring
#              served by solo5-hvt's userspace I/O thread       [--solo5]
#   ceiling    the host tool on both ends of the tap, no guest
#
# --quick: a handful of frames per run (what the check-time smoke tests
# use); the figures prove that every mode works, nothing more.
# --solo5: add the solo5bin and solo5hvt paths (Solo5 built by make bench
# SOLO5_SRC=DIR: $BUILD/solo5/src and $BUILD/bench/bench-solo5.hvt).
# --paths: of the paths above (default: all there are); --sizes: frame
# sizes, 64 to 1514 (default 64,1514); --tests: of g2h, h2g, echo (default:
# all three); --parts: of net (throughput and echo), syscalls, start
# (default: all).
# Environment: as for tests (selftests/lib/test-env.sh) when PETREL_BUILD
# is set; otherwise this tree's build (BUILD, default ./build) or, with
# --vm, the test VM's /petrel and /petrel-build.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/.." && pwd)
. "$src/selftests/lib/test-env.sh"

vm=0 quick=0 solo5=0 want_paths=hypercall,ring,solo5ring,ceiling
SIZES=64,1514 TESTS=g2h,h2g,echo
parts=net,syscalls,start
usage() { echo "run.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
	case "$1" in
	--vm) vm=1; shift ;;
	--quick) quick=1; shift ;;
	--solo5) solo5=1; shift ;;
	--paths) [ $# -ge 2 ] || usage "--paths needs a value"; want_paths=$2; shift 2 ;;
	--sizes) [ $# -ge 2 ] || usage "--sizes needs a value"; SIZES=$2; shift 2 ;;
	--tests) [ $# -ge 2 ] || usage "--tests needs a value"; TESTS=$2; shift 2 ;;
	--parts) [ $# -ge 2 ] || usage "--parts needs a value"; parts=$2; shift 2 ;;
	*) usage "unknown argument: $1" ;;
	esac
done
for v in ${want_paths//,/ }; do
	case "$v" in
	hypercall|ring|solo5ring|solo5bin|solo5hvt|ceiling) ;;
	*) usage "unknown path: $v" ;;
	esac
done
[ $solo5 = 1 ] && [ "$want_paths" = hypercall,ring,solo5ring,ceiling ] &&
	want_paths=hypercall,ring,solo5ring,solo5bin,solo5hvt,ceiling
for v in ${SIZES//,/ }; do
	case "$v" in ''|*[!0-9]*) usage "bad frame size: $v" ;; esac
	if [ "$v" -lt 64 ] || [ "$v" -gt 1514 ]; then
		usage "frame size $v is not within 64..1514"
	fi
done
for v in ${TESTS//,/ }; do
	case "$v" in g2h|h2g|echo) ;; *) usage "unknown test: $v" ;; esac
done
for v in ${parts//,/ }; do
	case "$v" in net|syscalls|start) ;; *) usage "unknown part: $v" ;; esac
done
SIZES=${SIZES//,/ } TESTS=${TESTS//,/ }
# wants LIST ITEM: ITEM is in the comma list LIST.
wants() { case ",$1," in *",$2,"*) return 0 ;; esac; return 1; }
if [ $vm = 1 ]; then
	dmesg -n 1
	test_env /petrel /petrel-build
	vm_load_modules >/dev/null 2>&1
elif [ -z "${PETREL_BUILD:-}" ]; then
	test_env "$src" "${BUILD:-$src/build}"
fi
B=$PETREL_BUILD/bench
HOSTTOOL=$B/petrel-bench-host
COUNTERS=$B/petrel-bench-counters
GUEST=$B/bench.hvt
S5RING_GUEST=$B/bench-solo5ring.hvt
S5_GUEST=$B/bench-solo5.hvt
SOLO5_HVT=$PETREL_BUILD/solo5/src/tenders/hvt/solo5-hvt
MEM=32

# Frame counts. Under software emulation a guest frame costs tens of
# microseconds, so these keep `make bench` within minutes there; with real
# KVM the same counts still give runs long enough to mean something.
# TX_BUDGET: seconds a guest sends for at most (bench.c's BUDGET), so that
# a path that moves a frame every few milliseconds under emulation still
# ends its run in bounded time; its rate is measured all the same.
# N_STRACE: frames of a throughput run under strace -c, enough that the
# calls of a run's start and end (console lines, the POLLs before the
# first frame: about 50) weigh under 0.005 a frame, so a ring path's
# figure is its cost at saturation; an echo under strace takes N_ECHO.
if [ $quick = 1 ]; then
	N_TPUT=200 N_ECHO=20 N_STRACE=100 N_START=1 TX_BUDGET=0
else
	N_TPUT=30000 N_ECHO=2000 N_STRACE=20000 N_START=5 TX_BUDGET=20
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/petrel-bench.XXXXXX")
NS=petrel-bench$$
TPID='' loaded_ko=0
cleanup() {
	[ -n "$TPID" ] && kill "$TPID" 2>/dev/null && wait "$TPID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	[ $loaded_ko = 1 ] && rmmod petrel 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
in_ns() { ip netns exec "$NS" "$@"; }
# bg_ns CMD...: CMD in the namespace, in the background; $! is CMD itself
# (ip netns exec execs it), which the VM counters and strace need.
bg_ns() { ip netns exec "$NS" "$@" & }
err() { echo "E $*"; }

# fresh_ns: a new namespace holding tap0, up, with no address (so the
# host's IP stack drops the benchmark's broadcasts at once).
fresh_ns() {
	ip netns del "$NS" 2>/dev/null
	ip netns add "$NS" &&
		in_ns ip tuntap add tap0 mode tap &&
		in_ns ip link set tap0 up
}

# field LINE KEY: the value of KEY=... in LINE.
field() {
	local w
	for w in $1; do
		case "$w" in "$2="*) printf '%s' "${w#*=}"; return 0 ;; esac
	done
	return 1
}

# wait_for FILE TEXT SECS: until FILE holds a line with TEXT or the tender
# ($TPID) is gone; 1 if the text never came.
wait_for() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -q "$2" "$1" && return 0
		kill -0 "$TPID" 2>/dev/null || break
		sleep 0.1
	done
	grep -q "$2" "$1"
}

# ---- what this tender can do ----
RING_OPT=0
if "$PETREL" --help 2>&1 | grep -q -- '--net-ring'; then
	RING_OPT=1
fi
ring_reason=""
if [ $RING_OPT = 0 ]; then
	ring_reason="this tender has no ring path (no --net-ring option)"
elif ! grep -q '^petrel ' /proc/modules; then
	if [ ! -f "$PETREL_KO" ]; then
		ring_reason="no petrel.ko for Linux $KVER ($PETREL_KO)"
	elif ! msg=$(insmod "$PETREL_KO" 2>&1); then
		ring_reason="petrel.ko does not load: $msg"
	else
		loaded_ko=1	# ours to unload, so later tests find what they left
	fi
fi

# path_cmd PATH: TCMD, the tender and its options up to "--" and the
# guest, for PATH.
path_cmd() {
	local net=--net:service0=tap0
	case "$1:$RING_OPT" in
	hypercall:1) TCMD=("$PETREL" "--mem=$MEM" --net-ring=off "$net" -- "$GUEST") ;;
	hypercall:0) TCMD=("$PETREL" "--mem=$MEM" "$net" -- "$GUEST") ;;
	ring:*) TCMD=("$PETREL" "--mem=$MEM" --net-ring=on "$net" -- "$GUEST") ;;
	solo5ring:*) TCMD=("$PETREL" "--mem=$MEM" --net-ring=on "$net" -- "$S5RING_GUEST") ;;
	solo5bin:*) TCMD=("$PETREL" "--mem=$MEM" --net-ring=on "$net" -- "$S5_GUEST") ;;
	solo5hvt:*) TCMD=("$SOLO5_HVT" "--mem=$MEM" "$net" -- "$S5_GUEST") ;;
	esac
}

# ---- VM exit counters: KVM's debugfs, per VM "<pid>-<fd>/" ----
DEBUGFS_KVM=/sys/kernel/debug/kvm
[ -d "$DEBUGFS_KVM" ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# vm_exits PID: "exits=N io_exits=N halt_exits=N" for the tender's VM.
vm_exits() {
	local d k out=""
	for d in "$DEBUGFS_KVM/$1"-*; do
		[ -d "$d" ] || continue
		for k in exits io_exits halt_exits; do
			[ -r "$d/$k" ] && out="$out $k=$(cat "$d/$k")"
		done
		printf '%s' "${out# }"
		return 0
	done
	return 1
}

# delta BEFORE AFTER: "key=after-before" for every key of AFTER.
delta() {
	local w k out=""
	for w in $2; do
		k=${w%%=*}
		out="$out $k=$(( ${w#*=} - $(field "$1" "$k" || echo 0) ))"
	done
	printf '%s' "${out# }"
}

# counters PID: petrel.ko's doorbells and wakeups for the tender's VM.
counters() {
	local line
	line=$(in_ns "$COUNTERS" "$1" 2>/dev/null) || return 1
	[ "$(field "$line" vms)" != 0 ] || return 1
	echo "doorbells=$(field "$line" doorbells) wakeups=$(field "$line" wakeups)"
}

# start_tender PATH ARGS...: PATH's tender running its guest with ARGS in
# the namespace; TPID, its output in $work/guest.out. 1 if it did not come
# up, or (solo5ring) came up on another path than Solo5's ring.
start_tender() {
	local p=$1
	shift
	path_cmd "$p"
	bg_ns "${TCMD[@]}" "$@" >"$work/guest.out" 2>&1
	TPID=$!
	if ! wait_for "$work/guest.out" 'bench: ready' 30; then
		err "$p $*: the guest did not come up: $(tail -n 3 "$work/guest.out" | tr '\n' ' ')"
		stop_tender
		return 1
	fi
	if [ "$p" = solo5ring ] && ! grep -q 'net on the ring' "$work/guest.out"; then
		err "$p $*: the guest was not offered Solo5's ring: $(grep '^solo5ring:' "$work/guest.out" | tr '\n' ' ')"
		stop_tender
		return 1
	fi
}

stop_tender() {
	[ -n "$TPID" ] || return 0
	kill "$TPID" 2>/dev/null
	wait "$TPID" 2>/dev/null
	TPID=
}

# drive TEST SIZE N END: the host side of one run against END (--packet
# tap0 for a guest; the ceiling also plays the guest's part with --tap
# tap0). Prints the host tool's figures.
drive() {
	local t=$1 size=$2 n=$3
	case "$t" in
	g2h) in_ns "$HOSTTOOL" sink --packet tap0 --count "$n" --go ;;
	h2g) in_ns "$HOSTTOOL" send --packet tap0 --size "$size" --count "$n" ;;
	echo) in_ns "$HOSTTOOL" ping --packet tap0 --size "$size" --count "$n" ;;
	esac
}

guest_mode() {
	case "$1" in g2h) echo tx ;; h2g) echo rx ;; echo) echo echo ;; esac
}

# net_run PATH TEST SIZE: one guest run, one R line.
net_run() {
	local p=$1 t=$2 size=$3 n=$N_TPUT before after cb="" ca="" host guest extra=""
	[ "$t" = echo ] && n=$N_ECHO
	fresh_ns || { err "$p $t $size: cannot make the namespace and tap"; return; }
	start_tender "$p" "$(guest_mode "$t")" "$size" "$n" 60 "$TX_BUDGET" || return
	before=$(vm_exits "$TPID")
	[ "$p" = ring ] && cb=$(counters "$TPID")
	host=$(drive "$t" "$size" "$n")
	if ! wait_for "$work/guest.out" 'bench: done' 60; then
		err "$p $t $size: the guest did not finish: $(tail -n 3 "$work/guest.out" | tr '\n' ' ')"
		stop_tender
		return
	fi
	after=$(vm_exits "$TPID")
	[ "$p" = ring ] && ca=$(counters "$TPID")
	stop_tender
	guest=$(grep '^bench: [a-z]* frames=' "$work/guest.out")
	[ -n "$before" ] && [ -n "$after" ] && extra="$extra $(delta "$before" "$after")"
	[ -n "$cb" ] && [ -n "$ca" ] && extra="$extra $(delta "$cb" "$ca")"
	case "$t" in
	g2h)	# the guest sent; the host counted what arrived, on its clock
		echo "R kind=net path=$p test=$t size=$size sent=$(field "$guest" frames)" \
			"frames=$(field "$host" frames) bytes=$(field "$host" bytes)" \
			"ns=$(field "$host" ns)$extra" ;;
	h2g)	# the host sent; the guest counted, on its clock
		echo "R kind=net path=$p test=$t size=$size sent=$(field "$host" frames)" \
			"frames=$(field "$guest" frames) bytes=$(field "$guest" bytes)" \
			"ns=$(field "$guest" ns)$extra" ;;
	echo)
		echo "R kind=net path=$p test=$t size=$size ${host#ping }" \
			"frames=$(field "$host" received)$extra" ;;
	esac
}

# ceiling_run TEST SIZE: the same host tool on both ends of the tap, no
# guest: one R line.
ceiling_run() {
	local t=$1 size=$2 n=$N_TPUT a b
	[ "$t" = echo ] && n=$N_ECHO
	fresh_ns || { err "ceiling $t $size: cannot make the namespace and tap"; return; }
	case "$t" in
	g2h|h2g)
		# The guest's side is the tap fd; the host's a packet socket.
		local from=--tap to=--packet
		[ "$t" = h2g ] && from=--packet to=--tap
		bg_ns "$HOSTTOOL" sink "$to" tap0 --count "$n" >"$work/sink"
		sleep 1
		a=$(in_ns "$HOSTTOOL" send "$from" tap0 --size "$size" --count "$n")
		wait $!
		b=$(cat "$work/sink")
		echo "R kind=net path=ceiling test=$t size=$size sent=$(field "$a" frames)" \
			"frames=$(field "$b" frames) bytes=$(field "$b" bytes) ns=$(field "$b" ns)" ;;
	echo)
		bg_ns "$HOSTTOOL" echo --tap tap0 --count "$n" >/dev/null
		sleep 1
		a=$(in_ns "$HOSTTOOL" ping --packet tap0 --size "$size" --count "$n")
		wait $!
		echo "R kind=net path=ceiling test=$t size=$size ${a#ping }" \
			"frames=$(field "$a" received)" ;;
	esac
}

# syscalls_run PATH TEST SIZE: a shorter run with strace counting the
# tender's system calls from the first frame to the last (it attaches once
# the guest is up and the traffic waits for it). One R line.
syscalls_run() {
	local p=$1 t=$2 size=$3 n=$N_STRACE host guest frames spid calls
	[ "$t" = echo ] && n=$N_ECHO
	fresh_ns || { err "$p $t $size: cannot make the namespace and tap"; return; }
	start_tender "$p" "$(guest_mode "$t")" "$size" "$n" 60 "$TX_BUDGET" || return
	strace -c -f -p "$TPID" -o "$work/strace" 2>/dev/null &
	spid=$!
	sleep 1
	host=$(drive "$t" "$size" "$n")
	wait_for "$work/guest.out" 'bench: done' 60
	kill -INT "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	stop_tender
	guest=$(grep '^bench: [a-z]* frames=' "$work/guest.out")
	case "$t" in
	g2h) frames=$(field "$guest" frames) ;;
	h2g) frames=$(field "$guest" frames) ;;
	echo) frames=$(field "$host" received) ;;
	esac
	calls=$(awk '$NF == "total" { print $4 }' "$work/strace" 2>/dev/null)
	if [ -z "$calls" ]; then
		err "$p $t $size: strace counted nothing ($(head -c 200 "$work/strace" 2>/dev/null))"
		return
	fi
	echo "R kind=syscalls path=$p test=$t size=$size frames=${frames:-0} syscalls=$calls"
}

# start_cmd PATH: TCMD for PATH's start-up runs: its tender with its
# default options (what a user gets), one net device, --mem=$MEM.
#   petrel    bench.hvt on petrel
#   solo5bin  bench-solo5.hvt (Solo5's toolchain and bindings) on petrel
#   solo5hvt  the same bench-solo5.hvt on solo5-hvt
start_cmd() {
	local net=--net:service0=tap0
	case "$1" in
	petrel) TCMD=("$PETREL" "--mem=$MEM" "$net" -- "$GUEST") ;;
	solo5bin) TCMD=("$PETREL" "--mem=$MEM" "$net" -- "$S5_GUEST") ;;
	solo5hvt) TCMD=("$SOLO5_HVT" "--mem=$MEM" "$net" -- "$S5_GUEST") ;;
	esac
}

# rss_breakdown PID: where the resident memory of PID goes, from its
# smaps: "key=KiB" per kind of mapping. guest: guest memory below --mem,
# every mapping of the one shared object of at least --mem (split by the
# read-only image segments); rings: the same object above --mem, the
# ring areas (petrel's announcement, Solo5's ring and petrel's regions;
# solo5-hvt's Solo5 ring); exe: the tender's own
# binary (text, data, and the bss that shares its last page); heap;
# stack (the main thread's); anon: other anonymous memory (thread
# stacks, bss past the file, malloc's other arenas); each shared library
# by name (libc, ld-linux-x86-64, libseccomp...); kvm: KVM's files
# (kvm_run); petrel: petrel.ko's counters page; vdso: [vdso] and [vvar];
# other: the rest. The kinds add up to smaps_rss, the exact total (the
# page tables walked). Also from status: rss_anon, rss_file and
# rss_shmem, whose sum is VmRSS (guest memory mapped shared is shmem);
# on Linux 6.1 these lag behind smaps_rss by the faults each thread has
# not yet folded in (up to 64 a thread, each one page or a fault-around
# of up to 16), on 6.2 and later by a per-CPU counter batch.
rss_breakdown() {
	local exe out line vma start end off above=0 addr n mem=$((MEM << 20))
	exe=$(readlink "/proc/$1/exe") || return 1
	# Two passes: the first finds the guest memory object (device and
	# inode of the largest shared mapping), the second sorts, and lists
	# the guest VMAs ("G start-end offset", hex) for the ring split.
	out=$(awk -v exe="$exe" '
	/^[0-9a-f]+-[0-9a-f]+ / {
		name = $6
		for (i = 7; i <= NF; i++)
			name = name " " $i
		obj = $4 " " $5
		if (FNR != NR && obj == guest)
			print "G " $1 " " $3
		next
	}
	FNR == NR && $1 == "Size:" && obj != "00:00 0" && $2 > biggest {
		biggest = $2
		guest = obj
	}
	FNR == NR { next }
	# The kind of a mapping needs its name (its first line), and its
	# Size: line comes before its Rss: line.
	$1 == "Size:" {
		if (obj == guest)
			cur = "guest"
		else if (name == exe)
			cur = "exe"
		else if (name == "[heap]")
			cur = "heap"
		else if (name == "[stack]")
			cur = "stack"
		else if (name == "[vdso]" || name == "[vvar]" || name == "[vvar_vclock]")
			cur = "vdso"
		else if (name ~ /^anon_inode:kvm/)
			cur = "kvm"
		else if (name == "/dev/petrel")
			cur = "petrel"
		else if (name == "")
			cur = "anon"
		else if (name ~ /\.so/) {
			cur = name
			sub(/.*\//, "", cur)
			sub(/\.so.*/, "", cur)
			gsub(/[^A-Za-z0-9_-]/, "_", cur)
		} else
			cur = "other"
		next
	}
	$1 == "Rss:" { kb[cur] += $2; total += $2 }
	END {
		printf "B smaps_rss_kb=%d", total
		for (k in kb)
			printf " %s_kb=%d", k, kb[k]
		printf "\n"
	}' "/proc/$1/smaps" "/proc/$1/smaps") || return 1
	# Guest memory above --mem is the ring areas (petrel's, and Solo5's
	# ring, which solo5-hvt puts there too): its resident pages, from
	# pagemap's present bit (bit 63), are rings_kb, and out of guest_kb.
	while read -r line; do
		case "$line" in G\ *) ;; *) continue ;; esac
		read -r _ vma off <<<"$line"
		start=$((0x${vma%-*})) end=$((0x${vma#*-})) off=$((0x$off))
		addr=$((start + (mem > off ? mem - off : 0)))
		[ "$addr" -lt "$end" ] || continue
		n=$(dd if="/proc/$1/pagemap" bs=65536 iflag=skip_bytes,count_bytes \
			skip=$(((addr >> 12) * 8)) count=$((((end - addr) >> 12) * 8)) 2>/dev/null |
			od -An -v -tx8 -w8 | grep -c '^ *[89a-f]')
		above=$((above + n * 4))
	done <<<"$out"
	line=$(grep '^B ' <<<"$out")
	line=${line#B }
	n=$(field "$line" guest_kb) || n=0
	printf ' %s rings_kb=%d' "${line/ guest_kb=$n/ guest_kb=$((n - above))}" "$above"
	awk '$1 == "RssAnon:" { printf " rss_anon_kb=%d", $2 }
	     $1 == "RssFile:" { printf " rss_file_kb=%d", $2 }
	     $1 == "RssShmem:" { printf " rss_shmem_kb=%d", $2 }' "/proc/$1/status"
}

# start_once PATH: one start-up of PATH's tender and image: exec to main
# (the guest's wall clock against the wall clock taken just before exec),
# the tender's resident memory with the guest up and where it goes; then
# the same under strace: exec to the first KVM_RUN and to main (strace's
# -ttt is the wall clock too). Appended to S_MAIN[PATH] and friends; 1 if
# the guest did not finish.
declare -A S_MAIN S_FIRST S_SMAIN S_RSS S_HWM S_WHERE
start_once() {
	local p=$1 t0 t1 t2 st exe
	start_cmd "$p"
	exe=$(basename "${TCMD[0]}")
	bg_ns "$HOSTTOOL" exec "${TCMD[@]}" start 64 0 30 >"$work/guest.out" 2>&1
	TPID=$!
	if ! wait_for "$work/guest.out" 'bench: done' 30; then
		err "start $p: the guest did not finish: $(tail -n 3 "$work/guest.out" | tr '\n' ' ')"
		stop_tender
		return 1
	fi
	t0=$(field "$(grep '^exec wall_ns=' "$work/guest.out")" wall_ns)
	t1=$(field "$(grep '^bench: start ' "$work/guest.out")" main_wall_ns)
	S_MAIN[$p]+=" $((t1 - t0))"
	st=/proc/$TPID/status
	S_RSS[$p]=$(awk '$1 == "VmRSS:" { print $2 }' "$st")
	S_HWM[$p]=$(awk '$1 == "VmHWM:" { print $2 }' "$st")
	S_WHERE[$p]=$(rss_breakdown "$TPID")
	stop_tender

	in_ns strace -f -ttt -e trace=execve,ioctl -o "$work/st" \
		"${TCMD[@]}" start 64 0 0 >"$work/guest.out" 2>&1
	t0=$(awk -v exe="$exe\"" 'index($0, "execve(") && index($0, exe) { print $2; exit }' "$work/st")
	t1=$(awk '/KVM_RUN/ { print $2; exit }' "$work/st")
	t2=$(field "$(grep '^bench: start ' "$work/guest.out")" main_wall_ns)
	if [ -n "$t0" ] && [ -n "$t1" ] && [ -n "$t2" ]; then
		S_FIRST[$p]+=" $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1e9 }')"
		S_SMAIN[$p]+=" $(awk -v a="$t0" -v b="$t2" 'BEGIN { printf "%d", b - a * 1e9 }')"
	fi
}

# start_run PATH...: N_START start-ups of each PATH, taken in turn (one
# of each, then again), so that whatever else loads the machine meanwhile
# weighs on every tender alike, after one of each not reported (binaries
# and libraries read and, under emulation, translated a first time). Per
# PATH an R kind=start line (medians; memory: the last run's) and an
# R kind=rss line (that run's breakdown).
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
start_run() {
	local i p live=" $* "
	fresh_ns || { err "start: cannot make the namespace and tap"; return; }
	for p in "$@"; do
		start_once "$p" || live=${live/ $p / }
		S_MAIN[$p]='' S_FIRST[$p]='' S_SMAIN[$p]=''
	done
	for ((i = 0; i < N_START; i++)); do
		for p in $live; do
			start_once "$p" || live=${live/ $p / }
		done
	done
	for p in $live; do
		echo "R kind=start path=$p mem_mb=$MEM runs=$N_START" \
			"exec_to_main_ns=$(median <<<"${S_MAIN[$p]}")" \
			"exec_to_first_insn_ns=$(median <<<"${S_FIRST[$p]}")" \
			"strace_exec_to_main_ns=$(median <<<"${S_SMAIN[$p]}")" \
			"rss_kb=${S_RSS[$p]} hwm_kb=${S_HWM[$p]}"
		[ -n "${S_WHERE[$p]}" ] && echo "R kind=rss path=$p rss_kb=${S_RSS[$p]}${S_WHERE[$p]}"
	done
}

# ---- the runs ----
for f in "$PETREL" "$HOSTTOOL" "$COUNTERS" "$GUEST"; do
	[ -x "$f" ] || [ -f "$f" ] || { echo "E $f is missing (run make)"; echo "PETREL-BENCH-END 1"; exit 1; }
done
emulated=1
grep -qw hypervisor /proc/cpuinfo || emulated=0
[ $vm = 1 ] && emulated=1
echo "M kernel=$KVER in_vm=$vm emulated=$emulated quick=$quick" \
	"cpus=$(nproc) frames_tput=$N_TPUT frames_echo=$N_ECHO" \
	"frames_strace=$N_STRACE tx_budget_s=$TX_BUDGET mem_mb=$MEM ring_option=$RING_OPT" \
	"cpu=$(awk -F': ' '/^model name/ { gsub(/ /, "_", $2); print $2; exit }' /proc/cpuinfo)"

# Guest paths: the ring ones only with a tender and module that have
# them, Solo5's own only where make bench SOLO5_SRC=DIR built them.
paths=""
wants "$want_paths" hypercall && paths=hypercall
for p in ring solo5ring solo5bin solo5hvt; do
	wants "$want_paths" "$p" || continue
	why=""
	case "$p" in ring|solo5ring|solo5bin) why=$ring_reason ;; esac
	case "$p" in
	solo5ring) [ -f "$S5RING_GUEST" ] || why="no $S5RING_GUEST (run make)" ;;
	solo5bin|solo5hvt)
		[ -f "$S5_GUEST" ] ||
			why="no $S5_GUEST: make bench SOLO5_SRC=DIR builds it" ;;
	esac
	[ "$p" = solo5hvt ] && [ ! -x "$SOLO5_HVT" ] &&
		why="no $SOLO5_HVT: make bench SOLO5_SRC=DIR builds it"
	if [ -z "$why" ]; then
		paths="$paths $p"
	else
		echo "NA path=$p $why"
	fi
done
case " $paths " in *" solo5hvt "*)
	echo "M solo5_version=$(tr ' ' _ <"$PETREL_BUILD/solo5/version" 2>/dev/null)" ;;
esac
if wants "$parts" net; then
	# A first run pays for cold caches (binaries read over 9p, code not
	# yet translated under emulation): one short run, not reported.
	# Each tender and guest binary pays its own.
	if [ $quick = 0 ]; then
		saved=$N_TPUT
		N_TPUT=1000
		for p in $paths; do
			net_run "$p" g2h 64 >/dev/null
		done
		N_TPUT=$saved
	fi
	for size in $SIZES; do
		for t in $TESTS; do
			for p in $paths; do
				net_run "$p" "$t" "$size"
			done
			wants "$want_paths" ceiling && ceiling_run "$t" "$size"
		done
	done
fi
if wants "$parts" syscalls; then
	for size in $SIZES; do
		for t in $TESTS; do
			for p in $paths; do
				syscalls_run "$p" "$t" "$size"
			done
		done
	done
fi
if wants "$parts" start; then
	# petrel's own image always; Solo5's on both tenders with --solo5 (or
	# when --paths names them), so that the two tenders start the same
	# image.
	sp=petrel
	for p in solo5bin solo5hvt; do
		case " $paths " in *" $p "*) sp="$sp $p" ;; esac
	done
	# shellcheck disable=SC2086 # one argument per path
	start_run $sp
fi
echo "PETREL-BENCH-END 0"
