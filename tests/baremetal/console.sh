#!/usr/bin/env bash
# tests/baremetal/console.sh — the console path of `rvx boot`: bytes piped into stdin
# reach the guest's UART (echo.elf echoes them upper-cased until 'q'), and Ctrl-A x
# ends rvx with status 0 while the guest still waits for input.
# Usage: console.sh RVX ECHO_ELF
set -euo pipefail
rvx="$1" elf="$2"
out="$(printf 'hello rvx q' | timeout 30 "$rvx" boot -q --bios none --kernel "$elf")"
[[ "$out" == "HELLO RVX " ]] || { echo "FAIL: echo output '$out'"; exit 1; }
# Ctrl-A x: the guest never sees 'q'; rvx must quit on the escape.
set +e
{ printf 'ab'; sleep 0.5; printf '\001x'; sleep 3; } | timeout 20 "$rvx" boot -q --bios none --kernel "$elf" >/dev/null
rc=$?
set -e
[[ $rc == 0 ]] || { echo "FAIL: Ctrl-A x gave status $rc"; exit 1; }
echo PASS
