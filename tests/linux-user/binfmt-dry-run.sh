#!/usr/bin/env bash
# tools/binfmt.sh without touching the system: --dry-run must print a well-formed
# binfmt_misc registration for riscv64 ELF, and the wrapper it would install must
# run a program when called the way the kernel calls it with the P flag
# (WRAPPER PROGRAM-PATH ARGV0 ARGS...).
# Usage: binfmt-dry-run.sh TOOLS_BINFMT_SH RVX GUEST_PROGRAM
set -u
BINFMT=$1 RVX=$2 PROG=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash "$BINFMT" --dry-run --rvx "$RVX" >"$tmp/out" || { echo "FAIL: --dry-run failed"; exit 1; }
reg=$(sed -n 's/^registration: //p' "$tmp/out")
want='^:rvx-riscv64:M::\\x7fELF\\x02\\x01\\x01(\\x00){9}\\x02\\x00\\xf3\\x00:[^:]+:[^:]+/rvx-binfmt:PF$'
if ! [[ $reg =~ $want ]]; then
    echo "FAIL: registration string: $reg"
    exit 1
fi
sed '1,2d' "$tmp/out" >"$tmp/wrapper"
out=$(sh "$tmp/wrapper" "$PROG" shown-argv0 2>&1)
if [[ $(tail -n 1 <<<"$out") != "epoll: ok" ]]; then
    echo "FAIL: wrapper run: $out"
    exit 1
fi
bash "$BINFMT" --dry-run --unregister | grep -q 'would write -1 to /proc/sys/fs/binfmt_misc/rvx-riscv64' ||
    { echo "FAIL: --unregister --dry-run"; exit 1; }
echo "binfmt dry run: ok"
