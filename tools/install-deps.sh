#!/usr/bin/env bash
# tools/install-deps.sh — install the Debian (bookworm) packages rvx needs to build and test.
#
# Usage: tools/install-deps.sh          (as root, or with sudo available)
#
# Role: the single list of host packages; test.sh, quickstart.sh and CI call it first.
# Invariants:
#   - installs only what is missing (dpkg status checked first); a machine that has
#     everything does nothing and needs no network or root.
#   - `apt-get update` runs only when the host package lists are missing or do not
#     know a needed package, and then at most once.
#   - REQUIRED packages failing to install is an error; OPTIONAL ones only warn.
#   - changes nothing but the installed package set.
set -euo pipefail
RVX_PROG=install-deps.sh; export RVX_PROG
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

REQUIRED=(
  build-essential gcc clang cmake pkg-config       # host toolchain
  libelf-dev libfdt-dev libcapstone-dev            # ELF loading, device tree, disassembly checks
  libsdl2-dev libslirp-dev                         # display, user-mode networking
  libcriterion-dev                                 # unit tests
  gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross  # guest test programs
  gcc-riscv64-unknown-elf                          # bare-metal guest tests
  qemu-user qemu-system-misc opensbi u-boot-qemu   # reference emulators and firmware
  e2fsprogs cpio xz-utils zstd gzip binutils file  # guest images
  apt dpkg debian-archive-keyring                  # tools/debian-fetch.sh (trixie keys)
)
OPTIONAL=(ninja-build shellcheck device-tree-compiler)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
known() { [[ -n "$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" { print $2 }')" ]]; }

missing_req=() missing_opt=()
for p in "${REQUIRED[@]}"; do installed "$p" || missing_req+=("$p"); done
for p in "${OPTIONAL[@]}"; do installed "$p" || missing_opt+=("$p"); done
if [[ ${#missing_req[@]} -eq 0 && ${#missing_opt[@]} -eq 0 ]]; then
  log "all ${#REQUIRED[@]} required and ${#OPTIONAL[@]} optional packages are installed"
  exit 0
fi
log "missing: ${missing_req[*]} ${missing_opt[*]}"

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || die "not root and no sudo: install as root: apt-get install ${missing_req[*]} ${missing_opt[*]}"
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

need_update=0
for p in "${missing_req[@]}" "${missing_opt[@]}"; do known "$p" || { need_update=1; break; }; done
if [[ $need_update == 1 ]]; then
  log "apt-get update (host package lists do not know every needed package)"
  "${SUDO[@]}" apt-get update -q >&2 || die "apt-get update failed"
fi

if [[ ${#missing_req[@]} -gt 0 ]]; then
  for p in "${missing_req[@]}"; do known "$p" || die "package '$p' is not available from the host's apt sources (expected Debian bookworm)"; done
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing_req[@]}" >&2 ||
    die "apt-get install failed for: ${missing_req[*]}"
fi
for p in "${missing_opt[@]}"; do
  if known "$p"; then
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "$p" >&2 || log "warning: optional package $p failed to install"
  else
    log "warning: optional package $p is not available; skipping"
  fi
done
log "done"
