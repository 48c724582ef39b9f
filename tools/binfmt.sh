#!/usr/bin/env bash
# tools/binfmt.sh — register rvx with binfmt_misc for riscv64 ELF programs, so that
# executing one (./prog, or anything under a riscv64 sysroot) runs it under rvx.
#
# Usage: tools/binfmt.sh [--dry-run] [--sysroot DIR] [--rvx PATH] [--flags FLAGS]
#        tools/binfmt.sh [--dry-run] --unregister
#   --dry-run     print the registration string and the wrapper; change nothing
#   --sysroot DIR riscv64 root whose ELF interpreter and libraries dynamic programs
#                 use (RVX_LD_PREFIX for rvx); default: none (static programs only)
#   --rvx PATH    the rvx executable (default: build/rvx of this checkout)
#   --flags F     binfmt_misc flags (default: PF)
#
# Role: binfmt_misc starts an interpreter as `INTERP PROGRAM-PATH [ARGV0] ARGS...`;
# rvx wants `rvx run --argv0 ARGV0 -- PROGRAM ARGS...`, so the registered
# interpreter is a small wrapper script written next to the registration
# (/usr/local/lib/rvx/rvx-binfmt) that makes that call.
# Flags:
#   P  preserve argv[0]: the kernel passes the original argv[0] after the path,
#      which the wrapper gives to rvx as --argv0 (programs such as busybox need it).
#   F  fix binary: the kernel opens the interpreter once, at registration, and uses
#      that open file for every later exec, even from another mount namespace or a
#      chroot where the path does not exist. What the interpreter itself needs must
#      still be reachable from where the program runs: this wrapper needs /bin/sh
#      and rvx (a dynamically linked host program) at their host paths, so under a
#      riscv64 chroot (`chroot SYSROOT /bin/sh`) it cannot work; that needs a static
#      rvx registered directly, which rvx's command line does not offer yet.
#   (O/C: credentials from the program file, for setuid programs; not used.)
# Invariants: binfmt_misc is system-wide, so nothing is written unless asked, and
# --unregister removes exactly the entry this script creates ("rvx-riscv64").
set -euo pipefail
RVX_PROG=binfmt.sh; export RVX_PROG
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

name=rvx-riscv64
binfmt_dir=/proc/sys/fs/binfmt_misc
wrapper_dir=${RVX_BINFMT_DIR:-/usr/local/lib/rvx}
dry_run=0 unregister=0 sysroot="" flags=PF
rvx="$RVX_ROOT/build/rvx"
while (($#)); do
  case $1 in
    --dry-run) dry_run=1 ;;
    --unregister) unregister=1 ;;
    --sysroot) sysroot=$(cd "${2:?--sysroot needs a directory}" && pwd); shift ;;
    --rvx) rvx=${2:?--rvx needs a path}; shift ;;
    --flags) flags=${2:?--flags needs a value}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
  shift
done

if ((unregister)); then
  if ((dry_run)); then
    echo "would write -1 to $binfmt_dir/$name"
  elif [[ -e $binfmt_dir/$name ]]; then
    echo -1 >"$binfmt_dir/$name"
    log "unregistered $name"
  else
    log "$name is not registered"
  fi
  exit 0
fi

[[ $flags =~ ^[POCF]*$ ]] || die "flags must be letters from POCF"
[[ -x $rvx ]] || die "$rvx is not an executable (build rvx first, or pass --rvx)"
rvx=$(cd "$(dirname "$rvx")" && pwd)/$(basename "$rvx")

# ELF header of a riscv64 executable: class 64, little endian, version 1, machine
# EM_RISCV (243); the mask ignores the OS ABI byte and the low bit of e_type (so
# both ET_EXEC and ET_DYN match), as qemu's registration does.
magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xf3\x00'
mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
interp=$wrapper_dir/rvx-binfmt
registration=":$name:M::$magic:$mask:$interp:$flags"

# With P: $1 = program path, $2 = original argv[0]; without: $1 = path only.
argv0_shift='argv0=$1'
[[ $flags == *P* ]] && argv0_shift='argv0=$2; shift'
wrapper="#!/bin/sh
# Written by rvx tools/binfmt.sh: binfmt_misc interpreter for riscv64 ELF.
prog=\$1; $argv0_shift; shift
${sysroot:+RVX_LD_PREFIX='$sysroot'; export RVX_LD_PREFIX
}exec '$rvx' run --argv0 \"\$argv0\" -- \"\$prog\" \"\$@\"
"

if ((dry_run)); then
  echo "registration: $registration"
  echo "wrapper ($interp):"
  printf '%s' "$wrapper"
  exit 0
fi

[[ -w $binfmt_dir/register ]] ||
  die "$binfmt_dir is not mounted or not writable (mount -t binfmt_misc binfmt_misc $binfmt_dir, as root)"
[[ -e $binfmt_dir/$name ]] && die "$name is already registered (--unregister first)"
mkdir -p "$wrapper_dir"
printf '%s' "$wrapper" >"$interp"
chmod 755 "$interp"
printf '%s' "$registration" >"$binfmt_dir/register"
log "registered $name: riscv64 ELF programs now run under $rvx (undo: $0 --unregister)"
