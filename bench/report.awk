# report.awk: bench/run.sh's records (see its header) to the benchmark
# report. Variables: txt (the table), json (results.json), dat (the chart's
# data, one row per test and frame size, columns per path). Ratios and
# per-packet counts lead: under software emulation they are what carries
# over to real hardware, the absolute figures are not.

function kv(start,    i, p) {
	delete f
	for (i = start; i <= NF; i++) {
		p = index($i, "=")
		if (p)
			f[substr($i, 1, p - 1)] = substr($i, p + 1)
	}
}

function num(x) { return x != "" && x ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }

# The value or "n/a", with a format.
function show(fmt, v) { return v == "" ? "n/a" : sprintf(fmt, v) }
function jnum(v) { return v == "" ? "null" : v }
function jstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
function div(a, b) { return (num(a) && num(b) && b + 0 != 0) ? a / b : "" }
function per(k, counter,    fr) {
	fr = r[k, "frames"]
	return (r[k, counter] == "") ? "" : div(r[k, counter], fr)
}

BEGIN {
	npaths = split("hypercall ring solo5ring solo5bin solo5hvt ceiling", paths, " ")
	nspaths = split("petrel solo5bin solo5hvt", spaths, " ")
	slabel["petrel"] = "bench.hvt on petrel"
	slabel["solo5bin"] = "bench-solo5.hvt (Solo5-built) on petrel"
	slabel["solo5hvt"] = "bench-solo5.hvt on solo5-hvt"
	nk = split("smaps_rss guest rings exe heap stack anon kvm petrel vdso", korder, " ")
	for (i = 1; i <= nk; i++)
		krank[korder[i]] = i
	krank["other"] = 60
	# What each path is, for the table's legend and the chart.
	label["hypercall"] = "bench.hvt on petrel, hypercalls (--net-ring=off)"
	label["ring"] = "bench.hvt on petrel, petrel.ko's own rings"
	label["solo5ring"] = "bench.c speaking Solo5's ring protocol, on petrel: Solo5's ring served by petrel.ko"
	label["solo5bin"] = "bench.c built with Solo5's toolchain and bindings, on petrel (petrel.ko serves its ring)"
	label["solo5hvt"] = "the same Solo5-built image on Solo5's solo5-hvt (its userspace ring thread)"
	label["ceiling"] = "the host tool on both ends of the tap, no guest"
	ntests = split("g2h h2g echo", tests, " ")
	nsizes = split("64 1514", sizes, " ")
}

/^M / { kv(2); for (k in f) meta[k] = f[k]; next }
/^NA / {
	kv(2)
	p = f["path"]
	present[p] = 1
	reason = $0
	sub(/^NA path=[^ ]* /, "", reason)
	na[p] = reason
	next
}
/^E / { errs[++nerr] = substr($0, 3); next }
/^R kind=net / {
	kv(2)
	k = f["path"] SUBSEP f["test"] SUBSEP f["size"]
	have[k] = 1
	present[f["path"]] = 1
	for (x in f)
		r[k, x] = f[x]
	next
}
/^R kind=syscalls / {
	kv(2)
	k = f["path"] SUBSEP f["test"] SUBSEP f["size"]
	sc[k] = div(f["syscalls"], f["frames"])
	next
}
# Start-up: per tender and image (a record without a path is petrel's).
/^R kind=start / {
	kv(2)
	p = "path" in f ? f["path"] : "petrel"
	spresent[p] = 1
	for (x in f)
		st[p, x] = f[x]
	next
}
# Where the resident memory goes: KiB per kind of mapping.
/^R kind=rss / {
	kv(2)
	p = f["path"]
	for (x in f) {
		if (x !~ /_kb$/ || x == "rss_kb")
			continue
		kind = substr(x, 1, length(x) - 3)
		rb[p, kind] = f[x]
		if (!(kind in rkind)) {
			rkind[kind] = 1
			rkinds[++nrkinds] = kind
		}
	}
	next
}

END {
	emulated = meta["emulated"] == 1
	if (emulated)
		note = "Measured inside software emulation (QEMU TCG, emulated AMD SVM, nested KVM): absolute numbers mean little. Read the ratios and the per-packet counts."
	else
		note = "Measured on this host's KVM."
	if (meta["quick"] == 1)
		note = note " Quick mode: a few frames per run, figures prove only that every mode works."

	# Derived figures.
	for (pi = 1; pi <= npaths; pi++) for (ti = 1; ti <= ntests; ti++) for (si = 1; si <= nsizes; si++) {
		p = paths[pi]; t = tests[ti]; s = sizes[si]
		k = p SUBSEP t SUBSEP s
		if (!have[k])
			continue
		if (t == "echo") {
			metric[k] = num(r[k, "p50_ns"]) && r[k, "frames"] > 0 ? r[k, "p50_ns"] / 1000 : ""
		} else {
			pps[k] = div(r[k, "frames"] * 1e9, r[k, "ns"])
			gbps[k] = div(r[k, "bytes"] * 8, r[k, "ns"])
			deliv[k] = div(r[k, "frames"] * 100, r[k, "sent"])
			metric[k] = pps[k]
		}
	}

	# ---- the table ----
	printf "petrel bench: Linux %s, %s, %s frames a throughput run, %s round trips an echo run\n", \
		meta["kernel"], meta["in_vm"] == 1 ? "in the test VM (" meta["cpus"] " vCPUs)" : \
		"on the host (" meta["cpus"] " CPUs)", \
		meta["frames_tput"], meta["frames_echo"] > txt
	printf "NOTE: %s\n", note > txt
	print "Paths:" > txt
	for (pi = 1; pi <= npaths; pi++)
		if (present[paths[pi]])
			printf "  %-9s  %s%s\n", paths[pi], label[paths[pi]], \
				paths[pi] == "solo5hvt" && meta["solo5_version"] != "" ? \
				" (Solo5 " meta["solo5_version"] ")" : "" > txt
	print "" > txt

	print "1. Ratios (throughput: frames/s over frames/s, higher is better; echo: p50 round trip over p50, lower is better)" > txt
	printf "%-6s %5s  %9s  %9s  %9s  %9s  %9s  %9s\n", "", "", "ring/", "ring/", "hypercall/", \
		"solo5ring/", "solo5ring/", "solo5bin/" > txt
	printf "%-6s %5s  %9s  %9s  %9s  %9s  %9s  %9s\n", "test", "size", "hypercall", "ceiling", \
		"ceiling", "hypercall", "solo5hvt", "solo5hvt" > txt
	for (ti = 1; ti <= ntests; ti++) for (si = 1; si <= nsizes; si++) {
		t = tests[ti]; s = sizes[si]
		kh = "hypercall" SUBSEP t SUBSEP s
		kr = "ring" SUBSEP t SUBSEP s
		kc = "ceiling" SUBSEP t SUBSEP s
		ks = "solo5ring" SUBSEP t SUBSEP s
		kb = "solo5bin" SUBSEP t SUBSEP s
		kv5 = "solo5hvt" SUBSEP t SUBSEP s
		rh[t, s] = div(metric[kr], metric[kh])
		rc[t, s] = div(metric[kr], metric[kc])
		hc[t, s] = div(metric[kh], metric[kc])
		sh[t, s] = div(metric[ks], metric[kh])
		sv[t, s] = div(metric[ks], metric[kv5])
		bv[t, s] = div(metric[kb], metric[kv5])
		printf "%-6s %5s  %9s  %9s  %9s  %9s  %9s  %9s\n", t, s, show("%.2f", rh[t, s]), \
			show("%.2f", rc[t, s]), show("%.2f", hc[t, s]), show("%.2f", sh[t, s]), \
			show("%.2f", sv[t, s]), show("%.2f", bv[t, s]) > txt
	}

	print "\n2. Per packet (echo: per round trip, one frame each way); VM exits from KVM's debugfs, syscalls from strace -c on a separate run" > txt
	printf "%-9s %-6s %5s  %9s  %8s  %10s  %12s  %13s  %11s\n", "path", "test", "size", \
		"exits/pkt", "io/pkt", "halt/pkt", "syscalls/pkt", "doorbells/pkt", "wakeups/pkt" > txt
	for (pi = 1; pi <= npaths; pi++) for (ti = 1; ti <= ntests; ti++) for (si = 1; si <= nsizes; si++) {
		p = paths[pi]; t = tests[ti]; s = sizes[si]
		k = p SUBSEP t SUBSEP s
		if (p == "ceiling" || !present[p])
			continue	# no guest, or not asked for: nothing to count
		if (p in na) {
			printf "%-9s %-6s %5s  n/a: %s\n", p, t, s, na[p] > txt
			continue
		}
		if (!have[k]) {
			printf "%-9s %-6s %5s  n/a: no figures (not run, or see the errors)\n", p, t, s > txt
			continue
		}
		printf "%-9s %-6s %5s  %9s  %8s  %10s  %12s  %13s  %11s\n", p, t, s, \
			show("%.2f", per(k, "exits")), show("%.2f", per(k, "io_exits")), \
			show("%.2f", per(k, "halt_exits")), show("%.2f", sc[k]), \
			show("%.3f", per(k, "doorbells")), show("%.3f", per(k, "wakeups")) > txt
	}

	print "\n3. Absolute figures (receiver's count and clock, first frame to last)" > txt
	printf "%-9s %-6s %5s  %11s  %8s  %9s\n", "path", "test", "size", "frames/s", "Gbit/s", "delivered" > txt
	for (pi = 1; pi <= npaths; pi++) for (ti = 1; ti <= ntests; ti++) for (si = 1; si <= nsizes; si++) {
		p = paths[pi]; t = tests[ti]; s = sizes[si]
		k = p SUBSEP t SUBSEP s
		if (t == "echo" || !have[k])
			continue
		printf "%-9s %-6s %5s  %11s  %8s  %8s%%\n", p, t, s, show("%.0f", pps[k]), \
			show("%.4f", gbps[k]), show("%.1f", deliv[k]) > txt
	}
	printf "%-9s %-6s %5s  %9s  %9s  %9s  %9s\n", "path", "test", "size", "p50 us", "p99 us", "p99.9 us", "answered" > txt
	for (pi = 1; pi <= npaths; pi++) for (si = 1; si <= nsizes; si++) {
		p = paths[pi]; s = sizes[si]
		k = p SUBSEP "echo" SUBSEP s
		if (!have[k])
			continue
		printf "%-9s %-6s %5s  %9s  %9s  %9s  %9s\n", p, "echo", s, \
			show("%.1f", r[k, "p50_ns"] / 1000), show("%.1f", r[k, "p99_ns"] / 1000), \
			show("%.1f", r[k, "p999_ns"] / 1000), r[k, "received"] "/" r[k, "sent"] > txt
	}

	# Issue 19's figures for Solo5's ring, side by side: throughput both
	# ways, loss, tender syscalls per frame at saturation (the strace
	# runs: each side as fast as it goes), VM exits per frame, and each
	# petrel path over solo5-hvt.
	s5 = 0
	for (pi = 1; pi <= npaths; pi++)
		if (paths[pi] ~ /^solo5/ && present[paths[pi]])
			s5 = 1
	if (s5) {
		print "\n4. Solo5's ring (targets: at least 2x solo5-hvt's frames/s both ways, nothing lost, under 0.01 tender syscalls per frame at saturation)" > txt
		printf "%-9s %-4s %5s  %11s  %9s  %14s  %11s  %11s\n", "path", "test", "size", "frames/s", \
			"delivered", "syscalls/frame", "exits/frame", "x solo5hvt" > txt
		for (pi = 1; pi <= npaths; pi++) for (ti = 1; ti <= 2; ti++) for (si = 1; si <= nsizes; si++) {
			p = paths[pi]; t = tests[ti]; s = sizes[si]
			if (p !~ /^solo5/ || !present[p])
				continue
			k = p SUBSEP t SUBSEP s
			if (p in na) {
				printf "%-9s %-4s %5s  n/a: %s\n", p, t, s, na[p] > txt
				continue
			}
			x = p == "solo5hvt" ? "" : div(pps[k], pps["solo5hvt" SUBSEP t SUBSEP s])
			printf "%-9s %-4s %5s  %11s  %9s  %14s  %11s  %11s\n", p, t, s, \
				show("%.0f", pps[k]), show("%.1f%%", deliv[k]), show("%.4f", sc[k]), \
				show("%.3f", per(k, "exits")), show("%.2f", x) > txt
		}
	}

	# Issue 20's footprint figures: each tender with the same image side
	# by side, and petrel's over solo5-hvt's.
	for (si = 1; si <= nspaths; si++) {
		p = spaths[si]
		if (!spresent[p])
			continue
		start_runs = st[p, "runs"]
		start_mem = st[p, "mem_mb"]
	}
	print "\n" (s5 ? 5 : 4) ". Tender start-up and memory (medians of " start_runs " runs, --mem=" start_mem ", one net device; target: exec to main no slower than solo5-hvt, VmRSS at most solo5-hvt's + 1024 KiB)" > txt
	fmt = "%-9s  %9s  %9s  %8s  %8s  %8s  %8s  %8s  %9s  %9s\n"
	printf fmt, "", "first", "main", "main", "x", "VmRSS", "smaps", "peak", "VmRSS -", "smaps -" > txt
	printf fmt, "tender", "KVM_RUN", "(strace)", "", "solo5hvt", "", "Rss", "VmHWM", "solo5hvt", "solo5hvt" > txt
	printf fmt, "", "ms", "ms", "ms", "", "KiB", "KiB", "KiB", "KiB", "KiB" > txt
	for (si = 1; si <= nspaths; si++) {
		p = spaths[si]
		if (!spresent[p])
			continue
		sx[p] = p == "solo5hvt" ? "" : div(st[p, "exec_to_main_ns"], st["solo5hvt", "exec_to_main_ns"])
		sd[p] = (p == "solo5hvt" || !num(st[p, "rss_kb"]) || !num(st["solo5hvt", "rss_kb"])) ? "" : \
			st[p, "rss_kb"] - st["solo5hvt", "rss_kb"]
		ss[p] = (p == "solo5hvt" || !num(rb[p, "smaps_rss"]) || !num(rb["solo5hvt", "smaps_rss"])) ? "" : \
			rb[p, "smaps_rss"] - rb["solo5hvt", "smaps_rss"]
		printf fmt, p, \
			show("%.1f", div(st[p, "exec_to_first_insn_ns"], 1e6)), \
			show("%.1f", div(st[p, "strace_exec_to_main_ns"], 1e6)), \
			show("%.1f", div(st[p, "exec_to_main_ns"], 1e6)), show("%.2f", sx[p]), \
			show("%d", st[p, "rss_kb"]), show("%d", rb[p, "smaps_rss"]), show("%d", st[p, "hwm_kb"]), \
			show("%+d", sd[p]), show("%+d", ss[p]) > txt
	}
	for (si = 1; si <= nspaths; si++)
		if (spresent[spaths[si]])
			printf "  %-9s %s\n", spaths[si], slabel[spaths[si]] > txt
	# The kinds in a fixed order: guest memory, the tender's own, the
	# libraries by name, the rest, then the same total by kind of page.
	for (ki = 1; ki <= nrkinds; ki++) {
		kind = rkinds[ki]
		rank[kind] = kind in krank ? krank[kind] : (kind ~ /^rss_/ ? 90 : 50)
	}
	for (ki = 2; ki <= nrkinds; ki++)
		for (kj = ki; kj > 1 && (rank[rkinds[kj - 1]] > rank[rkinds[kj]] || \
		     (rank[rkinds[kj - 1]] == rank[rkinds[kj]] && rkinds[kj - 1] > rkinds[kj])); kj--) {
			kind = rkinds[kj]; rkinds[kj] = rkinds[kj - 1]; rkinds[kj - 1] = kind
		}
	if (nrkinds) {
		print "\nWhere the resident memory goes (KiB, from /proc/PID/smaps with the guest up, the last run; the kinds add up to smaps_rss, the page tables walked; guest: guest memory resident below --mem; rings: above it, the ring areas (petrel's regions and Solo5's ring; solo5-hvt's Solo5 ring); exe: the tender binary; anon: thread stacks, bss and the like; petrel: the counters page; rss_anon + rss_file + rss_shmem: VmRSS, which on Linux 6.1 lags behind by the faults each thread has not yet folded into it)" > txt
		line = sprintf("%-22s", "mapping")
		for (si = 1; si <= nspaths; si++)
			if (spresent[spaths[si]])
				line = line sprintf("  %9s", spaths[si])
		print line > txt
		for (ki = 1; ki <= nrkinds; ki++) {
			kind = rkinds[ki]
			line = sprintf("%-22s", kind)
			for (si = 1; si <= nspaths; si++)
				if (spresent[spaths[si]])
					line = line sprintf("  %9s", rb[spaths[si], kind] == "" ? "-" : rb[spaths[si], kind])
			print line > txt
		}
	}
	if (nerr) {
		print "\nErrors:" > txt
		for (i = 1; i <= nerr; i++)
			print "  " errs[i] > txt
	}

	# ---- JSON ----
	printf "{\n  \"note\": %s,\n  \"meta\": {", jstr(note) > json
	sep = ""
	for (x in meta) {
		printf "%s\n    %s: %s", sep, jstr(x), num(meta[x]) ? meta[x] : jstr(meta[x]) > json
		sep = ","
	}
	printf "\n  },\n  \"unavailable\": [" > json
	sep = ""
	for (p in na) {
		printf "%s\n    {\"path\": %s, \"reason\": %s}", sep, jstr(p), jstr(na[p]) > json
		sep = ","
	}
	printf "\n  ],\n  \"paths\": {" > json
	sep = ""
	for (pi = 1; pi <= npaths; pi++) {
		if (!present[paths[pi]])
			continue
		printf "%s\n    %s: %s", sep, jstr(paths[pi]), jstr(label[paths[pi]]) > json
		sep = ","
	}
	printf "\n  },\n  \"runs\": [" > json
	sep = ""
	for (pi = 1; pi <= npaths; pi++) for (ti = 1; ti <= ntests; ti++) for (si = 1; si <= nsizes; si++) {
		p = paths[pi]; t = tests[ti]; s = sizes[si]
		k = p SUBSEP t SUBSEP s
		if (!have[k])
			continue
		printf "%s\n    {\"path\": %s, \"test\": %s, \"frame_bytes\": %d, \"sent\": %s, \"received\": %s", \
			sep, jstr(p), jstr(t), s, jnum(r[k, "sent"]), jnum(r[k, "frames"]) > json
		if (t == "echo")
			printf ", \"rtt_p50_ns\": %s, \"rtt_p99_ns\": %s, \"rtt_p999_ns\": %s, \"rtt_min_ns\": %s, \"rtt_max_ns\": %s", \
				jnum(r[k, "p50_ns"]), jnum(r[k, "p99_ns"]), jnum(r[k, "p999_ns"]), \
				jnum(r[k, "min_ns"]), jnum(r[k, "max_ns"]) > json
		else
			printf ", \"ns\": %s, \"frames_per_s\": %s, \"gbit_per_s\": %s, \"delivered_percent\": %s", \
				jnum(r[k, "ns"]), jnum(pps[k]), jnum(gbps[k]), jnum(deliv[k]) > json
		printf ", \"vm_exits_per_packet\": %s, \"io_exits_per_packet\": %s, \"halt_exits_per_packet\": %s", \
			jnum(per(k, "exits")), jnum(per(k, "io_exits")), jnum(per(k, "halt_exits")) > json
		printf ", \"tender_syscalls_per_packet\": %s, \"doorbells_per_packet\": %s, \"wakeups_per_packet\": %s}", \
			jnum(sc[k]), jnum(per(k, "doorbells")), jnum(per(k, "wakeups")) > json
		sep = ","
	}
	printf "\n  ],\n  \"ratios\": [" > json
	sep = ""
	for (ti = 1; ti <= ntests; ti++) for (si = 1; si <= nsizes; si++) {
		t = tests[ti]; s = sizes[si]
		printf "%s\n    {\"test\": %s, \"frame_bytes\": %d, \"of\": %s, \"ring_over_hypercall\": %s, \"ring_over_ceiling\": %s, \"hypercall_over_ceiling\": %s", \
			sep, jstr(t), s, jstr(t == "echo" ? "rtt_p50" : "frames_per_s"), \
			jnum(rh[t, s]), jnum(rc[t, s]), jnum(hc[t, s]) > json
		printf ", \"solo5ring_over_hypercall\": %s, \"solo5ring_over_solo5hvt\": %s, \"solo5bin_over_solo5hvt\": %s}", \
			jnum(sh[t, s]), jnum(sv[t, s]), jnum(bv[t, s]) > json
		sep = ","
	}
	printf "\n  ],\n  \"startup\": {\"mem_mb\": %s, \"exec_to_first_insn_ns_under_strace\": %s, \"exec_to_main_ns_under_strace\": %s, \"exec_to_main_ns\": %s, \"rss_kb\": %s, \"peak_rss_kb\": %s},\n", \
		jnum(st["petrel", "mem_mb"]), jnum(st["petrel", "exec_to_first_insn_ns"]), \
		jnum(st["petrel", "strace_exec_to_main_ns"]), jnum(st["petrel", "exec_to_main_ns"]), \
		jnum(st["petrel", "rss_kb"]), jnum(st["petrel", "hwm_kb"]) > json
	printf "  \"startup_by_tender\": {" > json
	sep = ""
	for (si = 1; si <= nspaths; si++) {
		p = spaths[si]
		if (!spresent[p])
			continue
		printf "%s\n    %s: {\"what\": %s, \"mem_mb\": %s, \"runs\": %s, \"exec_to_first_insn_ns_under_strace\": %s, \"exec_to_main_ns_under_strace\": %s, \"exec_to_main_ns\": %s, \"rss_kb\": %s, \"peak_rss_kb\": %s", \
			sep, jstr(p), jstr(slabel[p]), jnum(st[p, "mem_mb"]), jnum(st[p, "runs"]), \
			jnum(st[p, "exec_to_first_insn_ns"]), jnum(st[p, "strace_exec_to_main_ns"]), \
			jnum(st[p, "exec_to_main_ns"]), jnum(st[p, "rss_kb"]), jnum(st[p, "hwm_kb"]) > json
		printf ", \"exec_to_main_over_solo5hvt\": %s, \"rss_minus_solo5hvt_kb\": %s, \"smaps_rss_minus_solo5hvt_kb\": %s, \"rss_breakdown_kb\": {", \
			jnum(sx[p]), jnum(sd[p]), jnum(ss[p]) > json
		sep2 = ""
		for (ki = 1; ki <= nrkinds; ki++) {
			if (rb[p, rkinds[ki]] == "")
				continue
			printf "%s%s: %s", sep2, jstr(rkinds[ki]), rb[p, rkinds[ki]] > json
			sep2 = ", "
		}
		printf "}}" > json
		sep = ","
	}
	printf "\n  },\n" > json
	printf "  \"errors\": [" > json
	for (i = 1; i <= nerr; i++)
		printf "%s%s", (i > 1 ? ", " : ""), jstr(errs[i]) > json
	printf "]\n}\n" > json

	# ---- chart data: test-size, then frames/s and Gbit/s per path ----
	line = "# run"
	for (pi = 1; pi <= npaths; pi++)
		line = line " " paths[pi] "_fps"
	for (pi = 1; pi <= npaths; pi++)
		line = line " " paths[pi] "_gbps"
	print line > dat
	for (ti = 1; ti <= 2; ti++) for (si = 1; si <= nsizes; si++) {
		t = tests[ti]; s = sizes[si]
		line = t "-" s "B"
		for (pi = 1; pi <= npaths; pi++) {
			k = paths[pi] SUBSEP t SUBSEP s
			line = line " " (pps[k] == "" ? "-" : sprintf("%.1f", pps[k]))
		}
		for (pi = 1; pi <= npaths; pi++) {
			k = paths[pi] SUBSEP t SUBSEP s
			line = line " " (gbps[k] == "" ? "-" : sprintf("%.6f", gbps[k]))
		}
		print line > dat
	}
}
