# ktap-nest.awk: nest a complete KTAP/TAP document (such as the unit tests'
# output) as one subtest named `name`, and count its leaf results.
#
# Variables: name, rc (the producer's exit status), counts (file to write
# "passed failed skipped" to). A result line is a leaf unless deeper result
# lines came between it and the previous result at its own depth. The
# subtest fails if any leaf failed, the top-level plan does not match the
# number of top-level results, or the producer exited non-zero.

function depth(s) { match(s, /^ */); return RLENGTH }

BEGIN { pass = fail = skip = 0; top = 0; plan = -1; maxd = 0 }

{
	sub(/\r+$/, "")
	d = depth($0)
	body = substr($0, d + 1)
	if (NR == 1 && body !~ /^K?TAP version /)
		printf "  KTAP version 1\n  # Subtest: %s\n", name
	if (body ~ /^K?TAP version /) {
		print "  " $0
		if (d == 0) print "  # Subtest: " name
		next
	}
	if (d == 0 && body ~ /^1\.\.[0-9]+/) { plan = substr(body, 4) + 0 }
	if (body ~ /^(not )?ok [0-9]+/) {
		if (d == 0) top++
		if (!deeper[d]) {
			if (body ~ /# *([Ss][Kk][Ii][Pp]|TODO)/) skip++
			else if (body ~ /^ok /) pass++
			else fail++
		}
		deeper[d] = 0
		for (k = 0; k < d; k++) deeper[k] = 1
	}
	print "  " $0
}

END {
	bad = 0
	if (plan >= 0 && plan != top) {
		printf "  # plan 1..%d but %d results\n", plan, top
		bad = 1
	}
	if (rc != 0) {
		printf "  # exited with status %d\n", rc
		bad = 1
	}
	if (NR == 0)
		printf "  KTAP version 1\n  # Subtest: %s\n", name
	if (pass + fail + skip == 0) {
		printf "  # no test results\n"
		bad = 1
	}
	# A broken document with no failing leaf still has to count as a failure.
	if (bad && fail == 0) fail = 1
	printf "%s 1 %s\n", (fail || bad) ? "not ok" : "ok", name
	printf "%d %d %d\n", pass, fail, skip > counts
}
