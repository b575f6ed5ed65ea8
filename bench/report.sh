#!/bin/bash
# report.sh RAW OUTDIR: bench/run.sh's records in RAW to OUTDIR/results.txt
# (also printed), OUTDIR/results.json and OUTDIR/throughput.png (gnuplot;
# skipped with a note when gnuplot is not installed).
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: report.sh RAW OUTDIR" >&2; exit 1; }
raw=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
[ -r "$raw" ] || { echo "report.sh: cannot read $raw" >&2; exit 1; }
mkdir -p "$out" || exit 1

awk -v txt="$out/results.txt" -v json="$out/results.json" \
	-v dat="$out/throughput.dat" -f "$here/report.awk" "$raw" || exit 1
cat "$out/results.txt"
echo
echo "bench: wrote $out/results.txt and $out/results.json"

if ! command -v gnuplot >/dev/null; then
	echo "bench: no chart: gnuplot is not installed (make bench installs gnuplot-nox)"
	exit 0
fi
title="petrel bench, Linux $(awk '/^M / { for (i = 2; i <= NF; i++) if ($i ~ /^kernel=/) print substr($i, 8) }' "$raw")"
grep -q '^M .* emulated=1' "$raw" && title="$title (software emulation: compare bars, not numbers)"
ring_note=$(sed -n 's/^NA path=ring /ring path: n\/a, /p' "$raw" | head -n 1)
# A series with no figures at all (no ring path yet) is left out; each path
# keeps its colour either way.
ring_fps="" ring_gbps=""
# Headroom above the tallest bar (log scale) keeps the key clear of bars.
top() {
	awk -v a="$1" -v b="$2" '!/^#/ { for (i = a; i <= b; i++) if ($i != "-" && $i > m) m = $i }
		END { print (m > 0 ? m : 1) * 30 }' "$out/throughput.dat"
}
fps_top=$(top 2 4) gbps_top=$(top 5 7)
if awk '!/^#/ && $3 != "-" { found = 1 } END { exit !found }' "$out/throughput.dat"; then
	ring_fps='"" using 3 title "ring (petrel.ko)" lc rgb "#009e73",'
	ring_gbps='"" using 6 title "ring (petrel.ko)" lc rgb "#009e73",'
fi
gnuplot <<GP || { echo "bench: gnuplot failed" >&2; exit 1; }
set terminal pngcairo size 1200,560 font "sans,10"
set output "$out/throughput.png"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set grid ytics
set key top left
set xtics nomirror
set xlabel "g2h: guest to host, h2g: host to guest; frame size in bytes"
set bmargin 5
set label 1 "$ring_note" at screen 0.5, screen 0.02 center
set multiplot layout 1,2 title "$title"
set title "frames per second (log scale)"
set ylabel "frames/s"
set yrange [*:$fps_top]
plot "$out/throughput.dat" using 2:xtic(1) title "hypercall" lc rgb "#9400d3", \
     $ring_fps "" using 4 title "host ceiling (no guest)" lc rgb "#56b4e9"
set title "Gbit/s (log scale)"
set ylabel "Gbit/s"
set yrange [*:$gbps_top]
plot "$out/throughput.dat" using 5:xtic(1) title "hypercall" lc rgb "#9400d3", \
     $ring_gbps "" using 7 title "host ceiling (no guest)" lc rgb "#56b4e9"
unset multiplot
GP
echo "bench: wrote $out/throughput.png"
