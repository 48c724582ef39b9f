#!/usr/bin/env bash
# disas-objdump.sh RVX ELF — compares `RVX disas ELF` with GNU objdump 2.40's
# `riscv64-linux-gnu-objdump -d ELF`, instruction for instruction.
#
# Role: the end-to-end check of frontend/disas.c + cli/cmd_disas.c on real binaries.
# Normalization (the only differences allowed, because rvx does not print them):
#   - blank lines and symbol label lines ("0000000000012340 <sym>:") are dropped;
#   - " <sym+off>" after addresses is removed from objdump's output.
# Everything else (section headers, address column, raw bytes, mnemonics, operands,
# "# addr" comments, "0x" on addresses of symbol-less files, "..." zero runs) must be
# identical. Prints the number of instructions compared and the first differences;
# exits 1 on any difference, 2 on usage/tool errors.
set -uo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 RVX ELF" >&2
  exit 2
fi
rvx=$1 elf=$2
objdump=${OBJDUMP:-riscv64-linux-gnu-objdump}
command -v "$objdump" >/dev/null || { echo "disas-objdump: $objdump not found" >&2; exit 2; }
[[ -r $elf ]] || { echo "disas-objdump: cannot read $elf" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

normalize() {
  grep -v -E '^$|^[0-9a-f]+ <.*>:$' | sed -E 's/ <[^>]*>//g'
}

if ! "$objdump" -d "$elf" 2>"$tmp/objdump.err" | normalize >"$tmp/objdump.txt"; then
  echo "disas-objdump: $objdump failed:" >&2
  cat "$tmp/objdump.err" >&2
  exit 2
fi
if ! "$rvx" disas "$elf" 2>"$tmp/rvx.err" | normalize >"$tmp/rvx.txt"; then
  echo "disas-objdump: $rvx disas failed:" >&2
  cat "$tmp/rvx.err" >&2
  exit 2
fi

count=$(grep -c -E '^ *[0-9a-f]+:'$'\t' "$tmp/objdump.txt")
if diff "$tmp/objdump.txt" "$tmp/rvx.txt" >"$tmp/diff.txt"; then
  echo "disas-objdump: $elf: $count instructions compared, 0 differences"
  exit 0
fi
ndiff=$(grep -c '^<' "$tmp/diff.txt")
echo "disas-objdump: $elf: $count instructions compared, $ndiff lines differ (< objdump, > rvx):"
head -n 40 "$tmp/diff.txt"
exit 1
