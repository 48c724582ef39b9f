#!/bin/sh
# compare.sh — runs one guest program under rvx and under qemu-riscv64 and requires the
# same stdout and the same exit status (a death by signal N counts as 128+N on both
# sides, as a shell reports it; rvx exits with 128+N itself). Prints a diff on mismatch.
#
# usage: compare.sh [--rvx-opt=OPT]... [--ref=REFPROG] RVX QEMU PROG [STATUS] [-- ARGS...]
#   RVX      path to rvx, or "-" to run only under qemu (checks STATUS alone)
#   QEMU     path to qemu-riscv64
#   STATUS   expected exit status of both runs (default: not checked beyond equality for
#            the rvx comparison, 0 for a qemu-only run)
#   --rvx-opt=OPT  extra option for `rvx run` (e.g. --engine=dbt, --verify); repeatable.
#                  $RVX_OPTS (whitespace-separated) is appended too.
#   --ref=REFPROG  run REFPROG under qemu instead of PROG (for instructions qemu lacks,
#                  REFPROG computes the same output with other instructions).
#   ARGS     passed to the guest program on both sides.
set -u
rvx_opts=""
ref=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rvx-opt=*) rvx_opts="$rvx_opts ${1#--rvx-opt=}"; shift ;;
        --ref=*) ref="${1#--ref=}"; shift ;;
        *) break ;;
    esac
done
rvx_opts="$rvx_opts ${RVX_OPTS:-}"
if [ $# -lt 3 ]; then
    echo "usage: $0 [--rvx-opt=OPT]... [--ref=REFPROG] RVX QEMU PROG [STATUS] [-- ARGS...]" >&2
    exit 2
fi
rvx=$1 qemu=$2 prog=$3
shift 3
want=""
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
    want=$1
    shift
fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
[ -n "$ref" ] || ref=$prog

ulimit -c 0 2>/dev/null # guests killed by signals must not leave core files
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rvx-guest.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

"$qemu" "$ref" "$@" >"$tmp/qemu.out" 2>"$tmp/qemu.err"
qs=$?

if [ "$rvx" = "-" ]; then
    cat "$tmp/qemu.out"
    [ -n "$want" ] || want=0
    if [ "$qs" -ne "$want" ]; then
        echo "qemu: exit status $qs, expected $want" >&2
        cat "$tmp/qemu.err" >&2
        exit 1
    fi
    echo "qemu: exit status $qs as expected"
    exit 0
fi

# shellcheck disable=SC2086 # rvx_opts is a whitespace-separated option list
"$rvx" run $rvx_opts "$prog" "$@" >"$tmp/rvx.out" 2>"$tmp/rvx.err"
rs=$?

fail=0
if ! cmp -s "$tmp/qemu.out" "$tmp/rvx.out"; then
    echo "stdout differs (--- qemu, +++ rvx$rvx_opts):"
    diff -u "$tmp/qemu.out" "$tmp/rvx.out" | head -100
    fail=1
fi
if [ "$rs" -ne "$qs" ]; then
    echo "exit status differs: qemu $qs, rvx $rs"
    fail=1
fi
if [ -n "$want" ] && [ "$qs" -ne "$want" ]; then
    echo "qemu exit status $qs, expected $want"
    fail=1
fi
if [ "$fail" -ne 0 ]; then
    echo "--- rvx stderr:"
    head -50 "$tmp/rvx.err"
    exit 1
fi
echo "rvx$rvx_opts and qemu agree: exit status $rs, $(wc -l <"$tmp/rvx.out") lines of stdout"
exit 0
