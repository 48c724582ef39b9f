#!/usr/bin/env bash
# tools/guest-image.sh — build the default `rvx boot` guest: Debian trixie's riscv64
# kernel as a flat Image plus a busybox initramfs; prints both paths (Image first).
#
# Usage: tools/guest-image.sh [--update] [--print-dir]
#        tools/guest-image.sh --encode-cmd 'COMMAND'   (prints "rvx.cmd=...")
#
# Boot (QEMU as reference; `rvx boot` takes the same files):
#   qemu-system-riscv64 -M virt -nographic -bios FW_DYNAMIC -kernel Image \
#     -initrd initramfs.cpio.gz -append "console=ttyS0 rvx.cmd=echo+hello"
#
# /init (busybox sh): mounts proc, sysfs, devtmpfs, devpts, tmpfs /tmp; insmods the
# modules listed in MODULES below plus their dependencies (decompressed .ko, in
# dependency order computed here from each module's .modinfo depends=/softdep=);
# prints a banner line "rvx guest: Linux <release> ...", then:
#   - kernel command line has rvx.cmd=ENC or rvx.cmd64=B64: runs the decoded text
#     with `sh -c`, prints "rvx-init: exit status N", and powers off (poweroff -f);
#   - otherwise: an interactive shell on the console (setsid cttyhack sh), poweroff on exit.
# Command encodings (kernel arguments cannot hold spaces):
#   rvx.cmd=ENC    form-URL style: '+' is a space, %XX is the byte 0xXX (so '+' itself
#                  is %2B, '%' is %25). Example: rvx.cmd=echo+hi%3B+uname+-r
#   rvx.cmd64=B64  standard base64 of the command text (for anything else).
#   `tools/guest-image.sh --encode-cmd 'echo hi; uname -r'` prints the rvx.cmd form.
#
# Invariants:
#   - Debian's riscv64 vmlinux-* is already an uncompressed flat Image with an EFI
#     stub header ("MZ" at 0, "RISCV\0\0\0" at 0x30, "RSC\x05" at 0x38); a gzip'd
#     vmlinuz would be decompressed. The script checks the magic either way.
#   - outputs are cached in $RVX_CACHE/guest/trixie-riscv64/ with a stamp covering
#     kernel and busybox versions and this script's content; an up-to-date cache is
#     printed without network. Building needs no root (device nodes are written into
#     the cpio stream directly).
set -euo pipefail
RVX_PROG=guest-image.sh; export RVX_PROG
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Modules the emulator's virt board needs, beyond what Debian builds in (virtio core,
# virtio_pci, virtio_console, 8250 UART are built in). Dependencies are added automatically.
MODULES=(virtio_mmio virtio_blk virtio_rng virtio_net crc32c_generic ext4)
# softdep names that are aliases, not module names.
declare -A MOD_ALIAS=([crypto-crc32c]=crc32c_generic [crc32c]=crc32c_generic)

urlencode() {
  local s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9._~/=,:-]) out+="$c" ;;
      ' ') out+='+' ;;
      *) out+="$(printf '%%%02X' "'$c")" ;;
    esac
  done
  printf '%s' "$out"
}

update="" print_dir=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --update) update=--update; shift ;;
    --print-dir) print_dir=1; shift ;;
    --encode-cmd) [[ $# -ge 2 ]] || die "--encode-cmd needs a command"
                  printf 'rvx.cmd=%s\n' "$(urlencode "$2")"; exit 0 ;;
    -h|--help) sed -n '4,28s/^# \{0,1\}//p' "$0" >&2; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
need_cmd cpio gzip xz readelf apt-cache

out="$RVX_CACHE/guest/$RVX_SUITE-riscv64"
script_hash="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"
emit() {
  if [[ $print_dir == 1 ]]; then printf '%s\n' "$out"; else printf '%s\n%s\n' "$out/Image" "$out/initramfs.cpio.gz"; fi
}
if [[ -z "$update" && -s "$out/Image" && -s "$out/initramfs.cpio.gz" && -f "$out/STAMP" ]] &&
   grep -qx "script=$script_hash" "$out/STAMP"; then
  log "up to date: $(tr '\n' ' ' <"$out/STAMP")"
  emit
  exit 0
fi

# Which versioned kernel package does linux-image-riscv64 point to?
apt_setup riscv64
apt_update "$update"
kpkg="$(apt-cache "${APT_OPTS[@]}" depends linux-image-riscv64 2>/dev/null |
        awk '/Depends: linux-image-[0-9]/ { print $2; exit }')"
[[ -n "$kpkg" ]] || die "cannot find the kernel package behind linux-image-riscv64 in $RVX_SUITE"

work="$(mktemp -d "${TMPDIR:-/tmp}/rvx-guest.XXXXXX")"
trap 'rm -rf "$work"' EXIT
log "fetching $kpkg (about 110 MB the first time) ..."
"$RVX_TOOLS_DIR/debian-fetch.sh" --arch riscv64 "$work/kernel" "$kpkg"
bb="$("$RVX_TOOLS_DIR/busybox.sh" $update riscv64)"

# --- kernel Image -------------------------------------------------------------
kfile="$(find "$work/kernel/boot" -maxdepth 1 -type f \( -name 'vmlinux-*' -o -name 'vmlinuz-*' \) | head -n1)"
[[ -n "$kfile" ]] || die "no /boot/vmlinux-* or vmlinuz-* in $kpkg"
krel="$(basename "$kfile")"; krel="${krel#vmlinu[xz]-}"
mkdir -p "$out"
if [[ "$(head -c2 "$kfile" | od -An -tx1 | tr -d ' ')" == 1f8b ]]; then
  log "$(basename "$kfile") is gzip-compressed; decompressing"
  gzip -dc "$kfile" >"$work/Image"
else
  cp "$kfile" "$work/Image"
fi
[[ "$(dd if="$work/Image" bs=1 skip=48 count=5 2>/dev/null)" == RISCV ]] ||
  die "$(basename "$kfile") is not a RISC-V flat Image (no RISCV magic at 0x30)"

# --- modules in dependency order ------------------------------------------------
mdir="$work/kernel/usr/lib/modules/$krel"
[[ -d "$mdir" ]] || mdir="$work/kernel/lib/modules/$krel"
[[ -d "$mdir" ]] || die "no modules directory for $krel in $kpkg"
declare -A MOD_FILE=() MOD_STATE=()
while IFS= read -r f; do
  n="$(basename "$f")"; n="${n%%.ko*}"; MOD_FILE["${n//-/_}"]="$f"
done < <(find "$mdir" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')
decompress() {
  case "$1" in
    *.xz) xz -dc "$1" ;; *.zst) zstd -qdc "$1" ;; *.gz) gzip -dc "$1" ;; *) cat "$1" ;;
  esac
}
builtin_mod() { grep -q "/${1}.ko\$" "$mdir/modules.builtin" 2>/dev/null || grep -q "/${1//_/-}.ko\$" "$mdir/modules.builtin" 2>/dev/null; }
ORDER=()
mkdir -p "$work/initramfs/lib/modules"
add_module() {   # depth-first: dependencies first
  local name="${1//-/_}" info deps soft d
  [[ -n "${MOD_ALIAS[$1]:-}" ]] && name="${MOD_ALIAS[$1]}"
  [[ "${MOD_STATE[$name]:-}" == "done" ]] && return 0
  [[ "${MOD_STATE[$name]:-}" == busy ]] && die "module dependency cycle at $name"
  if [[ -z "${MOD_FILE[$name]:-}" ]]; then
    builtin_mod "$name" && { MOD_STATE[$name]="done"; return 0; }
    die "module $name not found in $kpkg"
  fi
  MOD_STATE[$name]=busy
  decompress "${MOD_FILE[$name]}" >"$work/initramfs/lib/modules/$name.ko"
  info="$(readelf -p .modinfo "$work/initramfs/lib/modules/$name.ko" 2>/dev/null)"
  deps="$(sed -n 's/.*\] *depends=//p' <<<"$info" | tr ',' ' ')"
  soft="$(sed -n 's/.*\] *softdep=//p' <<<"$info" | sed -n 's/.*pre: *\([^:]*\)\( post:.*\)\{0,1\}$/\1/p')"
  for d in $soft $deps; do add_module "$d"; done
  MOD_STATE[$name]="done"
  ORDER+=("$name")
}
for m in "${MODULES[@]}"; do add_module "$m"; done
printf '%s\n' "${ORDER[@]}" >"$work/initramfs/lib/modules/load.order"
log "modules (load order): ${ORDER[*]}"

# --- initramfs tree ---------------------------------------------------------------
ir="$work/initramfs"
mkdir -p "$ir"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,etc,mnt,run}
cp "$bb" "$ir/bin/busybox"
chmod 755 "$ir/bin/busybox"
ln -s busybox "$ir/bin/sh"
bbver="$(cat "$(dirname "$bb")/VERSION")"
kver="$(awk -v p="$kpkg" '$1 == p { print $2 }' "$work/kernel/.rvx-packages")"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$ir/etc/passwd"
printf 'root:x:0:\n' >"$ir/etc/group"
printf 'export PS1="rvx:\\w# "\nexport PATH=/bin:/sbin:/usr/bin:/usr/sbin\n' >"$ir/etc/profile"
cat >"$ir/init" <<INIT
#!/bin/sh
# rvx initramfs /init (generated by tools/guest-image.sh; see its header).
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=\${TERM:-vt100}
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
while read -r m; do
  insmod /lib/modules/\$m.ko 2>/dev/null || grep -q "^\$m " /proc/modules || echo "rvx-init: insmod \$m failed"
done </lib/modules/load.order
hostname rvx
echo "rvx guest: Linux \$(uname -r) \$(uname -m), Debian $RVX_SUITE kernel $kver, busybox $bbver"
cmd=""
for arg in \$(cat /proc/cmdline); do
  case "\$arg" in
    rvx.cmd=*)   cmd="\$(printf '%b' "\$(echo "\${arg#rvx.cmd=}" | sed 's/+/ /g; s/%\\([0-9A-Fa-f][0-9A-Fa-f]\\)/\\\\x\\1/g')")" ;;
    rvx.cmd64=*) cmd="\$(echo "\${arg#rvx.cmd64=}" | base64 -d)" ;;
  esac
done
cd /root
if [ -n "\$cmd" ]; then
  sh -c "\$cmd"
  echo "rvx-init: exit status \$?"
else
  echo "rvx-init: no rvx.cmd; starting a shell (exit to power off)"
  setsid cttyhack sh -l
fi
sync
poweroff -f
INIT
chmod 755 "$ir/init"

# newc cpio entry for a device node or directory, so no root/mknod is needed here.
cpio_entry() {   # NAME MODE(octal) RDEVMAJ RDEVMIN
  local name="$1" mode=$((8#$2)) ns hdr pad
  ns=$((${#name} + 1))
  hdr="$(printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
         0 "$mode" 0 0 1 0 0 0 0 "$3" "$4" "$ns" 0)"
  printf '%s%s\0' "$hdr" "$name"
  pad=$(( (4 - (110 + ns) % 4) % 4 ))
  head -c "$pad" /dev/zero
}
{
  cpio_entry dev 040755 0 0
  cpio_entry dev/console 020600 5 1
  cpio_entry dev/null 020666 1 3
  cpio_entry TRAILER!!! 0 0 0
  (cd "$ir" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --owner=0:0 --reproducible --quiet)
} | gzip -9n >"$work/initramfs.cpio.gz"

mv -f "$work/Image" "$out/Image"
mv -f "$work/initramfs.cpio.gz" "$out/initramfs.cpio.gz"
printf 'kernel=%s %s\nbusybox=%s\nmodules=%s\nscript=%s\n' "$kpkg" "$kver" "$bbver" "${ORDER[*]}" "$script_hash" >"$out/STAMP"
log "Image $(du -h "$out/Image" | cut -f1), initramfs $(du -h "$out/initramfs.cpio.gz" | cut -f1) in $out"
emit
