#!/usr/bin/env bash
# bench/guest.sh — system-mode workloads inside the default guest (Debian's kernel and
# the busybox initramfs of tools/guest-image.sh): each engine boots it once per
# repetition and runs every workload in it, timed by the guest's own clock (busybox
# `time`). Engines alternate within a repetition: rvx's DBT, rvx's interpreter
# (--engines), qemu-system-riscv64 with Debian's OpenSBI. Prints per workload the
# median seconds of each engine and the ratios qemu/dbt and interp/dbt, and checks
# that every engine printed the same result for it.
#
# Usage: bench/guest.sh RVX [--reps N] [--engines dbt,interp,qemu]
set -euo pipefail
rvx="$1"; shift
reps=3 engines=dbt,qemu
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --engines) engines="$2"; shift 2 ;;
    *) echo "guest.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
guest="$("$here/../tools/guest-image.sh")"  # two lines: Image, initramfs
image="$(sed -n 1p <<<"$guest")" initrd="$(sed -n 2p <<<"$guest")"
fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin

# name|command (busybox sh; its stdout is checksummed, its time measured)
workloads=(
  'shloop|i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo $i'
  'sha256|dd if=/dev/zero bs=1M count=64 2>/dev/null | sha256sum'
  'awk|awk "BEGIN{s=0; for(i=0;i<2000000;i++) s+=i*i%7; print s}"'
  'gzip|seq 1 300000 | gzip -9 | wc -c'
  'sort|seq 1 200000 | sort -r | md5sum'
  'syscalls|dd if=/dev/zero of=/dev/null bs=512 count=300000 2>&1 | tail -1'
  'forkexec|for i in $(seq 300); do /bin/true; done; echo done'
)
# The kernel command line holds at most 1024 bytes: a helper, and base64 (rvx.cmd64).
script='t(){ echo @@ $1;time sh -c "$2">/tmp/o;echo @= $1 $(md5sum</tmp/o);}'
for w in "${workloads[@]}"; do
  script+=$'\n'"t ${w%%|*} '${w#*|}'"
done
append="console=ttyS0 quiet rvx.cmd64=$(printf '%s' "$script" | base64 -w0)"
(( ${#append} < 1024 )) || { echo "guest.sh: the workloads do not fit on the kernel command line" >&2; exit 2; }

run_engine() { # ENGINE -> "name seconds checksum" lines
  local out
  case "$1" in
    dbt|interp) out="$(timeout 1200 "$rvx" boot -q --engine="$1" --kernel "$image" --initrd "$initrd" \
                       --append "$append" 2>&1 </dev/null)" ;;
    qemu) out="$(timeout 1200 qemu-system-riscv64 -M virt -m 512 -nographic -bios "$fw" \
                 -kernel "$image" -initrd "$initrd" -append "$append" 2>&1 </dev/null)" ;;
  esac
  tr -d '\r' <<<"$out" | awk '/^@@ /{name=$2} /^real/{t=$2; sub(/^0m /,"",t); if ($3 != "") t=$3; sub(/s$/,"",t);
       split(t, a, "m"); secs[name]=(length(a)>1 ? a[1]*60+a[2] : t)}
       /^@= /{print $2, secs[$2], $3}'
}

declare -A times sums
IFS=, read -ra engs <<<"$engines"
for ((r = 1; r <= reps; r++)); do
  for e in "${engs[@]}"; do
    while read -r name secs sum; do
      times[$e.$name]+="$secs "
      if [[ -n "${sums[$name]:-}" && "${sums[$name]}" != "$sum" ]]; then
        echo "guest.sh: $e printed a different result for $name" >&2; exit 1
      fi
      sums[$name]="$sum"
    done < <(run_engine "$e")
  done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]; else print "-"}'; }
printf '%-10s' workload; for e in "${engs[@]}"; do printf '%9s' "$e"; done
[[ $engines == *qemu* ]] && printf '%10s' qemu/dbt
[[ $engines == *interp* ]] && printf '%11s' interp/dbt
echo "   (median seconds of $reps, guest clock)"
for w in "${workloads[@]}"; do
  name="${w%%|*}"
  printf '%-10s' "$name"
  declare -A med=()
  for e in "${engs[@]}"; do med[$e]="$(median "${times[$e.$name]:-}")"; printf '%9s' "${med[$e]}"; done
  [[ $engines == *qemu* ]] && printf '%10s' "$(echo "scale=2; ${med[qemu]} / ${med[dbt]}" | bc 2>/dev/null || echo -)"
  [[ $engines == *interp* ]] && printf '%11s' "$(echo "scale=2; ${med[interp]} / ${med[dbt]}" | bc 2>/dev/null || echo -)"
  echo
done
