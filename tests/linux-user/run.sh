#!/usr/bin/env bash
# Runs one self-checking linux-user test program under rvx: it must exit 0 and end
# with "NAME: ok". Each check prints its own line, so a failure names itself.
# Usage: run.sh RVX PROG NAME [SYSROOT|-]   (SYSROOT: dynamic program, passed as -L;
#        with RVX_LD_PREFIX_MODE=env it is passed through RVX_LD_PREFIX instead)
# env: RVX_RUN_FLAGS (extra `rvx run` flags)
set -u
RVX=$1 PROG=$2 NAME=$3 ROOT=${4:--}
args=()
if [[ $ROOT != - ]]; then
    if [[ ! -e $ROOT/lib/ld-linux-riscv64-lp64d.so.1 ]]; then
        echo "SKIP: riscv64 sysroot $ROOT missing (tools/debian-sysroot.sh)"
        exit 77
    fi
    if [[ ${RVX_LD_PREFIX_MODE:-} == env ]]; then
        export RVX_LD_PREFIX=$ROOT
    else
        args=(-L "$ROOT")
    fi
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# shellcheck disable=SC2086
timeout 120 "$RVX" run ${RVX_RUN_FLAGS:-} "${args[@]}" "$PROG" >"$out" 2>&1 </dev/null
rc=$?
cat "$out"
if [[ $rc != 0 ]] || [[ $(tail -n 1 "$out") != "$NAME: ok" ]]; then
    echo "FAIL: $NAME exited $rc"
    exit 1
fi
