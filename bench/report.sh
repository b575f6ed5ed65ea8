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
title="petrel bench, Linux $(awk '/^M / { for (i = 2; i <= NF; i++) if ($i ~ /^kernel=/) { print substr($i, 8); exit } }' "$raw")"
grep -q '^M .* emulated=1' "$raw" && title="$title (software emulation: compare bars, not numbers)"
na_note=$(sed -n 's/^NA path=\([^ ]*\) /\1: n\/a, /p' "$raw" | head -n 2 | paste -sd';' -)
# The chart's series: one per path of report.awk's columns (the .dat
# header names them), in the same order; a path with no figures at all (not
# measured, or not asked for) is left out, and each keeps its colour.
paths=(hypercall ring solo5ring solo5bin solo5hvt ceiling)
declare -A series_title=([hypercall]="hypercall" [ring]="ring (petrel.ko)"
	[solo5ring]="Solo5 ring (petrel.ko)" [solo5bin]="Solo5-built image (petrel.ko)"
	[solo5hvt]="Solo5-built image on solo5-hvt" [ceiling]="host ceiling (no guest)")
declare -A colour=([hypercall]="#9400d3" [ring]="#009e73" [solo5ring]="#e69f00"
	[solo5bin]="#f0e442" [solo5hvt]="#d55e00" [ceiling]="#56b4e9")
np=${#paths[@]}
# Headroom above the tallest bar (log scale) keeps the key clear of bars.
top() {
	awk -v a="$1" -v b="$2" '!/^#/ { for (i = a; i <= b; i++) if ($i != "-" && $i > m) m = $i }
		END { print (m > 0 ? m : 1) * 30 }' "$out/throughput.dat"
}
fps_top=$(top 2 $((np + 1))) gbps_top=$(top $((np + 2)) $((2 * np + 1)))
# series FIRST_COLUMN: the plot command's series, from that column on.
series() {
	local i col plot="" first=1
	for ((i = 0; i < np; i++)); do
		col=$(($1 + i))
		awk -v c=$col '!/^#/ && $c != "-" { found = 1 } END { exit !found }' \
			"$out/throughput.dat" || continue
		if [ $first = 1 ]; then
			plot="\"$out/throughput.dat\" using $col:xtic(1)"
			first=0
		else
			plot="$plot, \"\" using $col"
		fi
		plot="$plot title \"${series_title[${paths[i]}]}\" lc rgb \"${colour[${paths[i]}]}\""
	done
	printf '%s' "$plot"
}
fps_plot=$(series 2) gbps_plot=$(series $((np + 2)))
[ -n "$fps_plot" ] || { echo "bench: no chart: no throughput figures"; exit 0; }
gnuplot <<GP || { echo "bench: gnuplot failed" >&2; exit 1; }
set terminal pngcairo size 1400,600 font "sans,10"
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
set label 1 "$na_note" at screen 0.5, screen 0.02 center
set multiplot layout 1,2 title "$title"
set title "frames per second (log scale)"
set ylabel "frames/s"
set yrange [*:$fps_top]
plot $fps_plot
set title "Gbit/s (log scale)"
set ylabel "Gbit/s"
set yrange [*:$gbps_top]
plot $gbps_plot
unset multiplot
GP
echo "bench: wrote $out/throughput.png"
