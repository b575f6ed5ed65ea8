# ktap-slowest.awk: the ten slowest tests of KTAP documents whose
# diagnostics hold "# took N s" lines (run-suites.sh ends every test's
# diagnostics with one; check.sh adds one to each host-side part), printed
# as KTAP comments, slowest first, each named by its subtest path, so that
# whoever wants `make check` shorter sees where the time goes.

function depth(s) { match(s, /^ */); return RLENGTH }

FNR == 1 { split("", name); took = "" }
{
	sub(/\r+$/, "")
	d = depth($0)
	body = substr($0, d + 1)
	if (body ~ /^# Subtest: /) {
		for (k in name) if (k + 0 >= d) delete name[k]
		name[d] = substr(body, 12)
		next
	}
	if (body ~ /^# took [0-9]+ s$/) {
		split(body, w, " ")
		took = w[3]
		next
	}
	if (body !~ /^(not )?ok [0-9]+/) next
	for (k in name) if (k + 0 > d) delete name[k]
	if (took == "") next
	t = body
	sub(/^(not )?ok [0-9]+ */, "", t)
	sub(/ *#.*$/, "", t)
	path = ""
	for (k = 0; k <= d; k++) if (k in name) path = path name[k] "/"
	n++
	secs[n] = took + 0
	what[n] = path t
	took = ""
}
END {
	if (n == 0) exit
	print "# the ten slowest tests:"
	for (i = 1; i <= n && i <= 10; i++) {
		best = 0
		for (j = 1; j <= n; j++)
			if (!(j in used) && (best == 0 || secs[j] > secs[best])) best = j
		used[best] = 1
		printf "# %6d s  %s\n", secs[best], what[best]
	}
}
