#!/usr/bin/env bash
# tests/machine/boot-time.sh — seconds from start to the guest's interactive shell
# prompt ("rvx:~# ") for the default guest, then `poweroff -f` is typed and the
# emulator must exit. Measures rvx and, for comparison, qemu-system-riscv64 on the same
# kernel and initramfs (both with Debian's OpenSBI; rvx also with its built-in SBI).
#
# Usage: boot-time.sh RVX IMAGE INITRD [RUNS]     (prints one line per configuration:
#        name, median seconds to the prompt, all runs)
set -euo pipefail
rvx="$1" image="$2" initrd="$3" runs="${4:-3}"
fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin

# Runs "$@" with a pty-less pipe as console; prints seconds until the prompt.
time_to_prompt() {
  local start now chunk t=""
  start=$(date +%s.%N)
  coproc EMU { exec "$@" 2>/dev/null; }
  # bash forgets EMU and EMU_PID once the coprocess is reaped: keep copies.
  local pid=$EMU_PID in=${EMU[0]} out=${EMU[1]}
  while IFS= read -r -d '#' -t 300 chunk <&"$in"; do
    if [[ "$chunk" == *"rvx:~" ]]; then
      now=$(date +%s.%N)
      t=$(echo "$now - $start" | bc)
      break
    fi
  done
  if [[ -z "$t" ]]; then
    echo "no prompt from: $* (last output: ${chunk: -200})" >&2
    kill "$pid" 2>/dev/null
    return 1
  fi
  printf 'poweroff -f\n' >&"$out" 2>/dev/null || true
  cat <&"$in" >/dev/null 2>&1 || true
  wait "$pid" 2>/dev/null || true
  printf '%.2f\n' "$t"
}

measure() {
  local name="$1"; shift
  local all=() i
  for ((i = 0; i < runs; i++)); do all+=("$(time_to_prompt "$@")"); done
  local median
  median=$(printf '%s\n' "${all[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-28s median %6.2f s   runs: %s\n' "$name" "$median" "${all[*]}"
}

for engine in dbt interp; do
  measure "rvx ($engine, OpenSBI)" "$rvx" boot -q --engine=$engine --kernel "$image" --initrd "$initrd" \
    --append console=ttyS0
  measure "rvx ($engine, built-in SBI)" "$rvx" boot -q --engine=$engine --bios none --kernel "$image" \
    --initrd "$initrd" --append console=ttyS0
done
if command -v qemu-system-riscv64 >/dev/null; then
  measure "qemu-system-riscv64 (TCG)" qemu-system-riscv64 -M virt -m 512 -nographic -bios "$fw" \
    -kernel "$image" -initrd "$initrd" -append console=ttyS0
fi
