#!/bin/bash
# tests/integration/qemu-as-rvx.sh — stand-in for build/rvx with the same `run` syntax,
# backed by qemu-riscv64, to develop and self-check the integration scripts:
#   RVX=tests/integration/qemu-as-rvx.sh tools/quickstart.sh ...
#   tests/integration/busybox-applets.sh tests/integration/qemu-as-rvx.sh BB_RV BB_AMD
# Usage: qemu-as-rvx.sh run [--engine=NAME] [-L SYSROOT] PROG [ARGS...]
# Invariants: exit status is the guest's; --engine is accepted and ignored; no other
# subcommand is emulated. QEMU_RISCV64 overrides the qemu binary (absolute path, since
# tests run it with an empty PATH).
set -euo pipefail
qemu="${QEMU_RISCV64:-/usr/bin/qemu-riscv64}"
[[ "${1:-}" == run ]] || { echo "qemu-as-rvx.sh: only 'run' is supported (got '${1:-}')" >&2; exit 2; }
shift
opts=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --engine=*) shift ;;
    -L) opts+=(-L "$2"); shift 2 ;;
    --) shift; break ;;
    -*) echo "qemu-as-rvx.sh: unknown option '$1'" >&2; exit 2 ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || { echo "qemu-as-rvx.sh: missing PROG" >&2; exit 2; }
exec "$qemu" "${opts[@]}" "$@"
