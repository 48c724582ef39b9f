#!/usr/bin/env bash
# tools/busybox.sh — print the path of Debian trixie's static busybox for an architecture.
#
# Usage: tools/busybox.sh [--update] [riscv64|amd64]     (default riscv64)
#
# Role: the guest binary for `rvx run` tests (riscv64) and its native twin (amd64),
# so integration tests compare rvx against the same busybox version run natively.
# Invariants:
#   - both architectures are always fetched together and must come from the same
#     source version (binNMU suffixes "+bN" may differ); otherwise it fails.
#   - results live in $RVX_CACHE/busybox/ARCH/busybox with a VERSION file; once both
#     exist the script prints the path without touching apt or the network.
#   - stdout is exactly one line: the absolute path of the requested busybox.
set -euo pipefail
RVX_PROG=busybox.sh; export RVX_PROG
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

update=""
[[ "${1:-}" == "--update" ]] && { update=--update; shift; }
want="${1:-riscv64}"
case "$want" in
  riscv64|amd64) ;;
  *) die "usage: tools/busybox.sh [--update] riscv64|amd64 (got '$want')" ;;
esac

base="$RVX_CACHE/busybox"
ready() { [[ -x "$base/riscv64/busybox" && -x "$base/amd64/busybox" && -s "$base/riscv64/VERSION" && -s "$base/amd64/VERSION" ]]; }

if [[ -n "$update" ]] || ! ready; then
  for arch in riscv64 amd64; do
    tmp="$base/.tmp-$arch"
    rm -rf "$tmp"
    "$RVX_TOOLS_DIR/debian-fetch.sh" --arch "$arch" $update "$tmp" busybox-static
    [[ -x "$tmp/usr/bin/busybox" ]] || die "busybox-static ($arch) did not contain usr/bin/busybox"
    rm -rf "${base:?}/$arch"
    mkdir -p "$base/$arch"
    mv "$tmp/usr/bin/busybox" "$base/$arch/busybox"
    awk '$1 == "busybox-static" { print $2 }' "$tmp/.rvx-packages" >"$base/$arch/VERSION"
    rm -rf "$tmp"
  done
  vr="$(<"$base/riscv64/VERSION")" va="$(<"$base/amd64/VERSION")"
  if [[ "${vr%+b*}" != "${va%+b*}" ]]; then
    rm -rf "$base/riscv64" "$base/amd64"
    die "busybox-static versions differ: riscv64 $vr vs amd64 $va (mirror mid-sync? retry with --update)"
  fi
  log "busybox-static riscv64 $vr, amd64 $va"
fi
printf '%s\n' "$base/$want/busybox"
