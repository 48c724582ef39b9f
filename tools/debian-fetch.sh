#!/usr/bin/env bash
# tools/debian-fetch.sh — download Debian trixie packages and extract them into a tree.
#
# Usage: tools/debian-fetch.sh [--arch ARCH] [--with-deps] [--update] DEST PKG[=VERSION]...
#   --arch ARCH   Debian architecture (default riscv64; amd64 for native comparisons)
#   --with-deps   also fetch the full dependency closure, resolved as on an empty
#                 system (private empty dpkg status, no Recommends)
#   --update      refresh the package lists even when the cached ones are fresh
#
# Role: the one generic fetcher under busybox.sh, debian-sysroot.sh and guest-image.sh.
# Invariants:
#   - apt runs entirely in a private state tree under $RVX_CACHE/apt/trixie-ARCH
#     (lists, .deb cache, empty dpkg status, sources.list); the host's apt and dpkg
#     state are never touched. The source line reuses the host's archive URI (read at
#     run time, see lib/common.sh) with suite trixie, verified with the installed
#     debian-archive-keyring (Release signatures are checked; unauthenticated is refused).
#   - .debs are cached; with cached lists and .debs a re-run needs no network.
#   - each .deb is extracted with dpkg-deb -x into DEST (maintainer scripts are not run);
#     DEST/.rvx-packages lists "name version arch" of what was extracted.
#   - progress on stderr only; stdout stays empty.
set -euo pipefail
RVX_PROG=debian-fetch.sh; export RVX_PROG
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() { sed -n '3,8s/^# \{0,1\}//p' "$0" >&2; exit 2; }

arch=riscv64 with_deps=0 force_update=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --arch) [[ $# -ge 2 ]] || usage; arch="$2"; shift 2 ;;
    --arch=*) arch="${1#*=}"; shift ;;
    --with-deps) with_deps=1; shift ;;
    --update) force_update=1; shift ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) break ;;
  esac
done
[[ $# -ge 2 ]] || usage
dest="$1"; shift
pkgs=("$@")
need_cmd apt-get apt-cache dpkg-deb

apt_setup "$arch"
apt_update "$force_update"

# resolve: fill the arrays R_NAME/R_VER/R_ARCH with the packages to fetch.
resolve() {
  R_NAME=() R_VER=() R_ARCH=()
  local out line name ver parch
  if [[ $with_deps == 1 ]]; then
    # Simulated install on the empty private system: one "Inst" line per package of the closure.
    if ! out="$(apt-get "${APT_OPTS[@]}" -s -q install "${pkgs[@]}" 2>&1)"; then
      printf '%s\n' "$out" >&2
      return 1
    fi
    while IFS= read -r line; do
      # Inst NAME (VERSION SUITE [ARCH])
      [[ "$line" =~ ^Inst\ ([^ ]+)\ \(([^ ]+)\ .*\[([^]]+)\]\) ]] || continue
      R_NAME+=("${BASH_REMATCH[1]}") R_VER+=("${BASH_REMATCH[2]}") R_ARCH+=("${BASH_REMATCH[3]}")
    done <<<"$out"
  else
    local p
    for p in "${pkgs[@]}"; do
      name="${p%%=*}"
      if [[ "$p" == *=* ]]; then
        ver="${p#*=}"
      else
        ver="$(apt-cache "${APT_OPTS[@]}" policy "$name" 2>/dev/null | awk '/Candidate:/ { print $2; exit }')"
      fi
      [[ -n "$ver" && "$ver" != "(none)" ]] || { log "package '$name' not found in $RVX_SUITE/$arch"; return 1; }
      parch="$(apt-cache "${APT_OPTS[@]}" show "$name=$ver" 2>/dev/null | awk '/^Architecture:/ { print $2; exit }')"
      R_NAME+=("$name") R_VER+=("$ver") R_ARCH+=("${parch:-$arch}")
    done
  fi
  [[ ${#R_NAME[@]} -gt 0 ]] || { log "nothing resolved for: ${pkgs[*]}"; return 1; }
}

if ! resolve; then
  # Cached lists may simply be out of date (package renamed/new): refresh once and retry.
  log "resolution failed; refreshing the package lists and retrying"
  apt_update force
  resolve || die "cannot resolve ${pkgs[*]} in $RVX_SUITE/$arch"
fi
log "$RVX_SUITE/$arch: ${#R_NAME[@]} package(s): ${R_NAME[*]}"

# deb_path I: the cache file apt-get download names for package I (epoch ':' -> %3a).
deb_path() { printf '%s/%s_%s_%s.deb' "$APT_DIR/archives" "${R_NAME[$1]}" "${R_VER[$1]//:/%3a}" "${R_ARCH[$1]}"; }

missing=()
for i in "${!R_NAME[@]}"; do
  [[ -s "$(deb_path "$i")" ]] || missing+=("${R_NAME[$i]}:${R_ARCH[$i]}=${R_VER[$i]}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  log "downloading ${#missing[@]} .deb(s) into $APT_DIR/archives ..."
  dl() { (cd "$APT_DIR/archives" && apt-get "${APT_OPTS[@]}" -q download "${missing[@]}" >&2); }
  if ! dl; then
    # A stale list points at versions the archive no longer has: refresh and re-resolve.
    log "download failed; refreshing the package lists and retrying"
    apt_update force
    resolve || die "cannot resolve ${pkgs[*]} in $RVX_SUITE/$arch"
    missing=()
    for i in "${!R_NAME[@]}"; do
      [[ -s "$(deb_path "$i")" ]] || missing+=("${R_NAME[$i]}:${R_ARCH[$i]}=${R_VER[$i]}")
    done
    [[ ${#missing[@]} -eq 0 ]] || dl || die "apt-get download failed for: ${missing[*]}"
  fi
fi

mkdir -p "$dest"
manifest="$dest/.rvx-packages"
touch "$manifest"
for i in "${!R_NAME[@]}"; do
  deb="$(deb_path "$i")"
  [[ -s "$deb" ]] || die "expected $deb after download but it is missing"
  dpkg-deb -x "$deb" "$dest" || die "dpkg-deb -x $deb failed"
  entry="${R_NAME[$i]} ${R_VER[$i]} ${R_ARCH[$i]}"
  grep -qxF "$entry" "$manifest" || printf '%s\n' "$entry" >>"$manifest"
done
log "extracted ${#R_NAME[@]} package(s) into $dest"
