#!/usr/bin/env bash
# tools/test.sh — the project's test command (README; CI runs it through .ci/run).
#
# Usage: tools/test.sh [extra ctest args...]
#   env: BUILD_DIR (default build), RVX_CACHE (guest file cache), CI=true (stricter)
#
# Role: install host packages, configure + build with warnings as errors, fetch the
# guest files the tests need, run every ctest test.
# Invariants:
#   - exits non-zero on any failure (deps, configure, build, fetch under CI, a test).
#   - guest files are passed to CMake as -DRVX_BUSYBOX_RISCV64/AMD64,
#     -DRVX_SYSROOT_RISCV64/AMD64 and -DRVX_GUEST_IMAGE/INITRD (the `rvx boot` default
#     guest, tools/guest-image.sh), cached under $RVX_CACHE, so re-runs are offline.
#     Outside CI a failed fetch only warns and the tests that need the files report SKIP;
#     under CI it fails, and the Linux boot tests get RVX_REQUIRE_GUEST=1 (no skipping).
set -euo pipefail
RVX_PROG=test.sh; export RVX_PROG
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$RVX_ROOT"
build="${BUILD_DIR:-build}"
jobs="${RVX_JOBS:-2}"

"$RVX_TOOLS_DIR/install-deps.sh"

cmake_args=(-S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRVX_WERROR=ON)
if command -v ninja >/dev/null 2>&1 && [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake_args+=(-G Ninja)
fi

fetch_ok=1
bb_rv="$("$RVX_TOOLS_DIR/busybox.sh" riscv64)" || fetch_ok=0
bb_amd=""
[[ $fetch_ok == 1 ]] && { bb_amd="$("$RVX_TOOLS_DIR/busybox.sh" amd64)" || fetch_ok=0; }
if [[ $fetch_ok == 1 ]]; then
  cmake_args+=(-DRVX_BUSYBOX_RISCV64="$bb_rv" -DRVX_BUSYBOX_AMD64="$bb_amd")
  export RVX_BUSYBOX_RISCV64="$bb_rv" RVX_BUSYBOX_AMD64="$bb_amd"
elif [[ "${CI:-}" == true ]]; then
  die "could not fetch the busybox guest files (see above)"
else
  log "warning: could not fetch busybox; integration tests will be skipped"
fi

sysroot_rv="" sysroot_amd=""
if sysroot_rv="$("$RVX_TOOLS_DIR/debian-sysroot.sh" --arch riscv64)" &&
   sysroot_amd="$("$RVX_TOOLS_DIR/debian-sysroot.sh" --arch amd64)"; then
  cmake_args+=(-DRVX_SYSROOT_RISCV64="$sysroot_rv" -DRVX_SYSROOT_AMD64="$sysroot_amd")
elif [[ "${CI:-}" == true ]]; then
  die "could not build the Debian sysroots (see above)"
else
  log "warning: could not build the Debian sysroots; sysroot tests will be skipped"
fi

guest_files=()
if mapfile -t guest_files < <("$RVX_TOOLS_DIR/guest-image.sh") && [[ ${#guest_files[@]} -ge 2 ]]; then
  cmake_args+=(-DRVX_GUEST_IMAGE="${guest_files[0]}" -DRVX_GUEST_INITRD="${guest_files[1]}")
elif [[ "${CI:-}" == true ]]; then
  die "could not build the default guest image (tools/guest-image.sh, see above)"
else
  log "warning: could not build the default guest image; Linux boot tests will be skipped"
fi
[[ "${CI:-}" == true ]] && export RVX_REQUIRE_GUEST=1

log "configuring ($build)"
cmake "${cmake_args[@]}"
log "building (-j$jobs)"
cmake --build "$build" -j "$jobs"
log "testing"
ctest --test-dir "$build" --output-on-failure -j "$jobs" "$@"
