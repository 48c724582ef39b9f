#!/usr/bin/env bash
# tools/quickstart.sh — the README's first command: install deps, build rvx, fetch the
# default guest and run it.
#
# Usage: sudo tools/quickstart.sh        (root only for installing missing packages)
#   env: RVX=/path/to/rvx-compatible   use another `rvx` (e.g. tests/integration/
#        qemu-as-rvx.sh) and skip the build; BUILD_DIR (default build)
#
# Role: a new user's one-step path from clone to a running guest.
# Invariants: stops at the first failure with a message; downloads are cached under
# $RVX_CACHE, so a second run is fast and works offline.
set -euo pipefail
RVX_PROG=quickstart.sh; export RVX_PROG
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$RVX_ROOT"
build="${BUILD_DIR:-build}"

# Default: boot the Debian guest to a shell (`rvx boot`); RVX_QUICKSTART_MODE=run runs
# busybox in user mode instead.
mode="${RVX_QUICKSTART_MODE:-boot}"

"$RVX_TOOLS_DIR/install-deps.sh"
if [[ -n "${RVX:-}" ]]; then
  rvx="$RVX"
  log "using RVX=$rvx (not building)"
else
  log "building rvx in $build"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j "${RVX_JOBS:-2}" --target rvx
  rvx="$build/rvx"
fi
[[ -x "$rvx" ]] || die "$rvx was not built"

case "$mode" in
  run)
    bb="$("$RVX_TOOLS_DIR/busybox.sh" riscv64)"
    log "running: $rvx run $bb sh -c 'echo hello; ls /'"
    exec "$rvx" run "$bb" sh -c 'echo hello; ls /'
    ;;
  boot)
    { read -r image; read -r initrd; } < <("$RVX_TOOLS_DIR/guest-image.sh")
    log "booting Debian $RVX_SUITE kernel + busybox initramfs (exit the shell to power off; Ctrl-A x quits)"
    exec "$rvx" boot --kernel "$image" --initrd "$initrd" --append "console=ttyS0"
    ;;
  *) die "unknown RVX_QUICKSTART_MODE '$mode' (run or boot)" ;;
esac
