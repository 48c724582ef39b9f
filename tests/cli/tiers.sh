#!/usr/bin/env bash
# --dbt-threshold: a block runs that many times in the interpreter before the DBT
# translates it. With a threshold above any block's run count nothing is translated,
# with 0 every block that runs is, by default only the hot ones are; the program's
# output is the same each time (rvx-stats reports the blocks translated).
# Usage: tiers.sh RVX MATMUL (bench/kernels/matmul.c for riscv64; argument: repetitions)
set -u
RVX=$1 PROG=$2
declare -A tbs out
for t in 0 default 1000000000; do
    opt=--dbt-threshold=$t
    [[ $t == default ]] && opt=
    out[$t]=$(RVX_STATS=1 "$RVX" run $opt "$PROG" 3 2>"${TMPDIR:-/tmp}/tiers.$$") ||
        { echo "FAIL: the program failed with ${opt:-the default threshold}"; exit 1; }
    tbs[$t]=$(grep -o ' tbs=[0-9]*' "${TMPDIR:-/tmp}/tiers.$$" | cut -d= -f2)
    rm -f "${TMPDIR:-/tmp}/tiers.$$"
    [[ -n ${tbs[$t]} ]] || { echo "FAIL: no rvx-stats line with ${opt:-the default threshold}"; exit 1; }
    echo "threshold $t: ${tbs[$t]} blocks translated, output '${out[$t]}'"
done
[[ ${out[0]} == "${out[default]}" && ${out[0]} == "${out[1000000000]}" ]] ||
    { echo "FAIL: the output depends on the threshold"; exit 1; }
((tbs[1000000000] == 0)) || { echo "FAIL: blocks translated under a huge threshold"; exit 1; }
((tbs[default] > 0 && tbs[default] < tbs[0])) ||
    { echo "FAIL: the default threshold should translate some blocks, fewer than 0 does"; exit 1; }
echo "ok"
