#!/usr/bin/env bash
# tests/machine/boot-errors.sh — bad `rvx boot` input gives one clear line on stderr
# and exit status 1 (unusable file) or 2 (bad option), never a crash or a hang:
# missing, empty, corrupt or compressed kernels, bad initrds, disks and firmware,
# too little RAM. Needs no guest download (small files are made here).
# Usage: boot-errors.sh RVX
set -uo pipefail
rvx="$1"
work="$(mktemp -d "${TMPDIR:-/tmp}/rvx-boot-errors.XXXXXX")"
trap 'rm -rf "$work"' EXIT
head -c 65536 /dev/urandom >"$work/garbage"
: >"$work/empty"
# A minimal Image header: text_offset 2 MiB, image_size 64 MiB, magic2 at 0x38.
{
  printf '\0\0\0\0\0\0\0\0'
  printf '\0\0\x20\0\0\0\0\0'
  printf '\0\0\0\x04\0\0\0\0'
  head -c 24 /dev/zero
  printf 'RISCV\0\0\0RSC\x05'
  head -c 4100 /dev/zero
} >"$work/image"
gzip -c "$work/garbage" >"$work/garbage.gz"
failures=0
expect() {   # STATUS PATTERN ARGS...
  local want="$1" pat="$2"; shift 2
  local err status
  err="$(timeout 20 "$rvx" boot -q "$@" </dev/null 2>&1 >/dev/null)"
  status=$?
  if [[ $status != "$want" || "$(printf '%s\n' "$err" | wc -l)" != 1 || "$err" != *"$pat"* ]]; then
    echo "FAIL: rvx boot $* -> status $status (want $want), stderr: $err"
    failures=$((failures + 1))
  fi
}
expect 1 "cannot read kernel"             --kernel "$work/missing"
expect 1 "is empty"                       --kernel "$work/empty"
expect 1 "neither a RISC-V Image"         --kernel "$work/garbage"
expect 1 "gzip-compressed"                --kernel "$work/garbage.gz"
expect 1 "not a riscv64 ELF"              --kernel /bin/sh
expect 1 "cannot read initrd"             --bios none --kernel "$work/image" --initrd "$work/missing"
expect 1 "not an initramfs"               --bios none --kernel "$work/image" --initrd "$work/garbage"
expect 1 "cannot open disk image"         --bios none --kernel "$work/image" --drive "$work/missing"
expect 1 "is empty"                       --bios none --kernel "$work/image" --drive "$work/empty"
expect 1 "cannot read firmware"           --kernel "$work/image" --bios "$work/missing"
expect 1 "does not fit in RAM"            --bios none --kernel "$work/image" -m 16
expect 2 "-m wants"                       -m 3
expect 2 "unknown engine"                 --engine nope
expect 2 "unexpected argument"            --kernel "$work/image" extra
expect 2 "bad -d list"                    -d no_such_trace --kernel "$work/image"
if [[ $failures != 0 ]]; then exit 1; fi
echo PASS
