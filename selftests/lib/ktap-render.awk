# ktap-render.awk: turn what the test VM printed into complete KTAP blocks,
# one per suite, whatever happened to the VM.
#
# Input: the VM's second serial port (run-suites.sh output, possibly cut
# short, with \r line ends). Variables:
#   expected  file of "suite<TAB>test" lines, in run order (run-suites --list)
#   label     suffix for suite names ("6.1" gives "kvm-6.1")
#   nonce     only output between PETREL-KTAP-BEGIN/END <nonce> counts
#   reason    why results may be missing ("" if the VM finished)
#   started   1 if the VM got to run tests (then the first missing test is
#             the one that was running when it stopped)
#   tail      file whose lines are shown under the first missing test
#   counts    file to write "passed failed skipped" leaf counts to
# Output: for each suite, an indented KTAP document and its result line,
# numbered from 1 (the caller renumbers when combining).

function flush_diag(    d) { d = buf; buf = ""; return d }

BEGIN {
	while ((getline line < expected) > 0) {
		split(line, f, "\t")
		if (!(f[1] in nt)) { order[++ns] = f[1]; nt[f[1]] = 0 }
		tests[f[1], ++nt[f[1]]] = f[2]
	}
	close(expected)
	inside = (nonce == "")
}

{ sub(/\r+$/, "") }
!inside { if ($0 == "PETREL-KTAP-BEGIN " nonce) inside = 1; next }
$0 == "PETREL-KTAP-END " nonce { inside = 0; next }
/^  # Subtest: / { suite = substr($0, 14); buf = ""; next }
/^  KTAP version / || /^  1\.\./ { next }
/^  # / { buf = buf $0 "\n"; next }
/^  (not )?ok [0-9]+ / {
	line = substr($0, 3)
	ok = (line ~ /^ok /)
	sub(/^(not )?ok [0-9]+ /, "", line)
	name = line
	directive = ""
	if (match(name, / # /)) {
		directive = substr(name, RSTART + 3)
		name = substr(name, 1, RSTART - 1)
	}
	res[suite, name] = ok ? "ok" : "not ok"
	dir[suite, name] = directive
	dg[suite, name] = flush_diag()
	next
}

END {
	if (tail != "") {
		while ((getline line < tail) > 0) {
			sub(/\r+$/, "", line)
			tl = tl "  # | " line "\n"
		}
	}
	pass = fail = skip = 0
	blamed = 0
	for (i = 1; i <= ns; i++) {
		s = order[i]
		sname = label == "" ? s : s "-" label
		printf "  KTAP version 1\n  # Subtest: %s\n  1..%d\n", sname, nt[s]
		sfail = 0
		for (j = 1; j <= nt[s]; j++) {
			t = tests[s, j]
			if ((s, t) in res) {
				printf "%s", dg[s, t]
				if (toupper(dir[s, t]) ~ /^(SKIP|TODO)/) {
					skip++
					printf "  %s %d %s # %s\n", res[s, t], j, t, dir[s, t]
				} else {
					if (res[s, t] == "ok") pass++; else { fail++; sfail++ }
					printf "  %s %d %s\n", res[s, t], j, t
				}
				continue
			}
			fail++; sfail++
			if (!blamed) {
				blamed = 1
				why = reason == "" ? "the runner reported no result" : reason
				if (started)
					printf "  # no result: %s while this test was running\n", why
				else
					printf "  # not run: %s\n", why
				printf "%s", tl
			} else {
				printf "  # not run: %s\n", reason == "" ? "the runner reported no result" : reason
			}
			printf "  not ok %d %s\n", j, t
		}
		printf "%s %d %s\n", sfail ? "not ok" : "ok", i, sname
	}
	printf "%d %d %d\n", pass, fail, skip > counts
}
