#!/usr/bin/env bash
# tools/debian-sysroot.sh — build a Debian trixie root filesystem tree (sysroot) for
# running dynamically linked guest programs: `rvx run -L SYSROOT SYSROOT/usr/bin/lua5.4`.
#
# Usage: tools/debian-sysroot.sh [--arch ARCH] [--update] [DEST [PKG...]]
#   ARCH  riscv64 (default) or amd64 (the native twin, same Debian versions, for
#         comparisons: run DEST/lib64/ld-linux-x86-64.so.2 --library-path
#         DEST/usr/lib/x86_64-linux-gnu DEST/usr/bin/PROG ...)
#   DEST  default $RVX_CACHE/sysroot/trixie-ARCH (printed on stdout when done)
#   PKG   default: libc6 xz-utils lua5.4 sqlite3 python3 perl-base coreutils gzip
#         bzip2 tar bash gawk  (full python3: ~28 MB of .debs, ~100 MB unpacked)
#
# Role: the library/program tree behind user-mode tests and benchmarks (bench/).
# Invariants:
#   - packages and their whole dependency closure come from tools/debian-fetch.sh
#     (private apt state; nothing system-wide changes; no maintainer scripts run).
#   - usrmerge layout: bin sbin lib lib64 ... are symlinks into usr/, so the loader
#     path in PT_INTERP (/lib/ld-linux-riscv64-lp64d.so.1, /lib64/ld-linux-x86-64.so.2)
#     resolves inside DEST.
#   - DEST/.rvx-sysroot records arch and package set; an up-to-date DEST is reused
#     without network. DEST is built beside itself and swapped in only when complete;
#     an existing DEST that is not an rvx sysroot is never deleted.
#   - stdout is one line: the absolute path of DEST.
set -euo pipefail
RVX_PROG=debian-sysroot.sh; export RVX_PROG
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

DEFAULT_PKGS=(libc6 xz-utils lua5.4 sqlite3 python3 perl-base coreutils gzip bzip2 tar bash gawk)

arch=riscv64 update=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --arch) [[ $# -ge 2 ]] || die "--arch needs a value"; arch="$2"; shift 2 ;;
    --arch=*) arch="${1#*=}"; shift ;;
    --update) update=--update; shift ;;
    -h|--help) sed -n '4,12s/^# \{0,1\}//p' "$0" >&2; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) break ;;
  esac
done
case "$arch" in
  riscv64) loader=lib/ld-linux-riscv64-lp64d.so.1 ;;
  amd64)   loader=lib64/ld-linux-x86-64.so.2 ;;
  *) die "unsupported --arch '$arch' (riscv64 or amd64)" ;;
esac
dest="${1:-$RVX_CACHE/sysroot/$RVX_SUITE-$arch}"
[[ $# -gt 0 ]] && shift
pkgs=("$@")
[[ ${#pkgs[@]} -gt 0 ]] || pkgs=("${DEFAULT_PKGS[@]}")
mkdir -p "$(dirname "$dest")"
dest="$(cd "$(dirname "$dest")" && pwd)/$(basename "$dest")"

stamp_text="arch=$arch suite=$RVX_SUITE pkgs=$(printf '%s\n' "${pkgs[@]}" | sort -u | tr '\n' ' ')"
if [[ -z "$update" && -f "$dest/.rvx-sysroot" && -e "$dest/$loader" ]] &&
   [[ "$(<"$dest/.rvx-sysroot")" == "$stamp_text" ]]; then
  log "up to date: $dest"
  printf '%s\n' "$dest"
  exit 0
fi
if [[ -e "$dest" && ! -f "$dest/.rvx-sysroot" ]] && [[ -n "$(ls -A "$dest" 2>/dev/null)" ]]; then
  die "$dest exists, is not empty and is not an rvx sysroot; refusing to replace it"
fi

tmp="$dest.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp"
"$RVX_TOOLS_DIR/debian-fetch.sh" --arch "$arch" --with-deps $update "$tmp" "${pkgs[@]}"

# usrmerge: move anything shipped under /bin, /lib... into usr/ and leave a symlink,
# as on an installed trixie system (where base-files/usrmerge provide the links).
for d in bin sbin lib lib32 lib64 libx32; do
  if [[ -d "$tmp/$d" && ! -L "$tmp/$d" ]]; then
    mkdir -p "$tmp/usr/$d"
    cp -a "$tmp/$d/." "$tmp/usr/$d/"
    rm -rf "${tmp:?}/$d"
  fi
  if [[ -d "$tmp/usr/$d" && ! -e "$tmp/$d" ]]; then
    ln -s "usr/$d" "$tmp/$d"
  fi
done
[[ -e "$tmp/$loader" ]] || die "dynamic loader /$loader missing in the $arch sysroot (is libc6 in the package set?)"
# Commands that postinst scripts or alternatives would normally create.
[[ -e "$tmp/usr/bin/python3" || ! -e "$tmp/usr/bin/python3.13" ]] || ln -s python3.13 "$tmp/usr/bin/python3"
[[ -e "$tmp/usr/bin/awk" || ! -e "$tmp/usr/bin/gawk" ]] || ln -s gawk "$tmp/usr/bin/awk"
[[ -e "$tmp/usr/bin/sh" || ! -e "$tmp/usr/bin/bash" ]] || ln -s bash "$tmp/usr/bin/sh"
printf '%s\n' "$stamp_text" >"$tmp/.rvx-sysroot"

rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
log "sysroot ($arch, $(wc -l <"$dest/.rvx-packages") packages, $(du -sh "$dest" | cut -f1)): $dest"
printf '%s\n' "$dest"
