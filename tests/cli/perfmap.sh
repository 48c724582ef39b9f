#!/usr/bin/env bash
# -d perfmap: the DBT names each block it translates in /tmp/perf-PID.map, the JIT
# symbol file perf(1) reads ("START SIZE NAME", hex). Checks the format, that the
# program's entry block is named, and that the blocks lie in anonymous executable
# memory (perf only consults the map file for anonymous memory).
# Usage: perfmap.sh RVX MATMUL (bench/kernels/matmul.c built for riscv64; its argument is
# a repetition count)
set -u
RVX=$1 PROG=$2
entry=$(readelf -h "$PROG" | awk '/Entry point/ { print $4 }')
# --dbt-threshold=0: the entry block runs once, and by default it is interpreted
"$RVX" run -d perfmap --dbt-threshold=0 "$PROG" 1 >/dev/null &
pid=$!
wait $pid || { echo "FAIL: the program failed under -d perfmap"; exit 1; }
map=/tmp/perf-$pid.map
trap 'rm -f "$map"' EXIT
[[ -s $map ]] || { echo "FAIL: no $map"; exit 1; }
bad=$(grep -cvE '^[0-9a-f]+ [0-9a-f]+ rvx:0x[0-9a-f]+$' "$map")
((bad == 0)) || { echo "FAIL: $bad malformed lines in $map"; head -3 "$map"; exit 1; }
grep -q " rvx:$entry\$" "$map" || { echo "FAIL: entry block $entry not named"; exit 1; }
lines=$(wc -l <"$map")
((lines > 10)) || { echo "FAIL: only $lines blocks named"; exit 1; }
echo "ok: $lines blocks named, entry $entry among them"

# The executable view must be anonymous memory: look at a live process's maps.
"$RVX" run -d perfmap "$PROG" 1000000000 >/dev/null &
pid=$!
sleep 0.5
start=$(head -1 "/tmp/perf-$pid.map" 2>/dev/null | cut -d' ' -f1)
region=
while read -r range perms _ _ _ name; do
    lo=$((16#${range%-*})) hi=$((16#${range#*-})) a=$((16#${start:-0}))
    if ((lo <= a && a < hi)); then region="$perms $name"; fi
done <"/proc/$pid/maps"
kill $pid 2>/dev/null
wait $pid 2>/dev/null
rm -f "/tmp/perf-$pid.map"
[[ $region == r-x* ]] || { echo "FAIL: block at $start is not in executable memory ($region)"; exit 1; }
[[ $region != *memfd* ]] || { echo "FAIL: block at $start is in $region, not anonymous memory"; exit 1; }
echo "ok: blocks in '$region'"
