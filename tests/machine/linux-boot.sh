#!/usr/bin/env bash
# tests/machine/linux-boot.sh — boots the default guest (Debian kernel + busybox
# initramfs) non-interactively with a virtio-blk ext4 disk made on the host, runs
# `uname -a; cat /proc/cpuinfo; sha256sum` of a file on the disk, writes a file,
# powers off, and checks on the host: rvx exit 0, the guest's hash equals the host's,
# the guest's file is on the disk (debugfs, no mount needed) and the fs is clean.
#
# Usage: linux-boot.sh RVX IMAGE INITRD [extra `rvx boot` args, e.g. --bios none]
# Exit 77 (ctest SKIP) when the guest files are missing; set RVX_REQUIRE_GUEST=1
# (CI) to make that a failure instead.
set -euo pipefail
rvx="$1" image="$2" initrd="$3"
shift 3
if [[ ! -s "$image" || ! -s "$initrd" ]]; then
  echo "guest image missing ($image, $initrd): run tools/guest-image.sh"
  [[ "${RVX_REQUIRE_GUEST:-0}" == 1 ]] && exit 1
  exit 77
fi
for c in mke2fs debugfs e2fsck base64 sha256sum; do
  command -v "$c" >/dev/null || { echo "missing host tool $c"; exit 1; }
done
work="$(mktemp -d "${TMPDIR:-/tmp}/rvx-linux-boot.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/root"
head -c 1048576 /dev/urandom >"$work/root/file"
want="$(sha256sum "$work/root/file" | cut -c1-64)"
mke2fs -q -F -t ext4 -L rvxdisk -d "$work/root" "$work/disk.img" 32M >/dev/null

cmd='mount -t ext4 /dev/vda /mnt && uname -a && cat /proc/cpuinfo && sha256sum /mnt/file &&
echo rvx-wrote-this >/mnt/out.txt && umount /mnt'
b64="$(printf '%s' "$cmd" | base64 -w0)"
start=$(date +%s.%N)
set +e
timeout 600 "$rvx" boot "$@" --kernel "$image" --initrd "$initrd" --drive "$work/disk.img" \
  --append "console=ttyS0 rvx.cmd64=$b64" </dev/null >"$work/out" 2>&1
rc=$?
set -e
end=$(date +%s.%N)
fail() { echo "FAIL: $*"; echo "---- guest console ----"; cat "$work/out"; exit 1; }
[[ $rc == 0 ]] || fail "rvx exited with $rc"
grep -q '^Linux rvx .* riscv64' "$work/out" || fail "no uname -a output"
grep -q '^processor' "$work/out" || fail "no /proc/cpuinfo"
grep -q "^isa.*rv64imafdc" "$work/out" || fail "no isa line in /proc/cpuinfo"
grep -q "^$want  /mnt/file" "$work/out" || fail "guest sha256 differs from the host's ($want)"
grep -q 'rvx-init: exit status 0' "$work/out" || fail "guest command failed"
got="$(debugfs -R 'cat /out.txt' "$work/disk.img" 2>/dev/null)"
[[ "$got" == rvx-wrote-this ]] || fail "file written by the guest not found on the disk (got '$got')"
e2fsck -fn "$work/disk.img" >/dev/null 2>&1 || fail "filesystem not clean after poweroff"
grep -E '^(Linux rvx|isa|mmu|uarch)' "$work/out"
printf 'PASS: boot, disk read/write, poweroff in %.1f s\n' "$(echo "$end - $start" | bc)"
