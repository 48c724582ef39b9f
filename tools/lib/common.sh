# tools/lib/common.sh — helpers sourced by the tools/*.sh scripts (not run directly).
# shellcheck shell=bash
#
# Role: one place for logging, errors, the cache location and the private apt
# setup that fetches Debian trixie packages without touching the host's apt state.
# Invariants:
#   - progress and errors go to stderr; stdout is reserved for a script's result
#     (usually a path), so callers can do "x=$(tools/busybox.sh riscv64)".
#   - nothing system-wide is changed: apt runs with its lists, caches, dpkg status
#     and sources under ${RVX_CACHE:-$HOME/.cache/rvx}/apt/.
#   - no archive host name is written anywhere in the repo: the mirror URI is read at
#     run time from the host's own apt sources (RVX_DEBIAN_MIRROR overrides it).

RVX_TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export RVX_ROOT; RVX_ROOT="$(cd "$RVX_TOOLS_DIR/.." && pwd)"
RVX_CACHE="${RVX_CACHE:-${HOME:-/root}/.cache/rvx}"
RVX_SUITE="${RVX_SUITE:-trixie}"
# The keyring shipped by bookworm's debian-archive-keyring (>= 2023.3+deb12u1) already
# holds trixie's release and archive keys; RVX_DEBIAN_KEYRING overrides it.
RVX_DEBIAN_KEYRING="${RVX_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}"

log() { printf '%s: %s\n' "${RVX_PROG:-${0##*/}}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${RVX_PROG:-${0##*/}}" "$*" >&2; exit 1; }
need_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' not found (run tools/install-deps.sh)"
  done
}

# debian_mirror: print the main archive URI of the host's apt configuration
# (deb822 debian.sources first, then one-line sources.list), skipping -security.
debian_mirror() {
  if [[ -n "${RVX_DEBIAN_MIRROR:-}" ]]; then
    printf '%s\n' "$RVX_DEBIAN_MIRROR"
    return
  fi
  local f uri=""
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/*.sources; do
    [[ -r "$f" ]] || continue
    # deb822: stanzas separated by blank lines; want the one whose Suites are not -security.
    uri="$(awk '
      BEGIN { RS = ""; FS = "\n" }
      {
        u = ""; s = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/)   { u = $i; sub(/^URIs:[ \t]*/, "", u); split(u, a, /[ \t]+/); u = a[1] }
          if ($i ~ /^Suites:/) { s = $i }
        }
        if (u != "" && s !~ /-security/ && u ~ /\/debian\/?$/) { print u; exit }
      }' "$f")"
    [[ -n "$uri" ]] && break
  done
  if [[ -z "$uri" && -r /etc/apt/sources.list ]]; then
    uri="$(awk '$1 == "deb" && $0 !~ /security/ {
             for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; exit } }' \
           /etc/apt/sources.list)"
  fi
  [[ -n "$uri" ]] || die "cannot find the Debian archive URI in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list (set RVX_DEBIAN_MIRROR)"
  printf '%s\n' "${uri%/}"
}

# apt_setup ARCH: prepare the private apt tree for $RVX_SUITE/ARCH and fill the
# global array APT_OPTS with the options that make apt-get/apt-cache use it.
apt_setup() {
  local arch="$1"
  APT_DIR="$RVX_CACHE/apt/$RVX_SUITE-$arch"
  mkdir -p "$APT_DIR"/{lists/partial,archives/partial,etc/apt.conf.d,etc/preferences.d,etc/sources.list.d,state}
  [[ -r "$RVX_DEBIAN_KEYRING" ]] || die "keyring $RVX_DEBIAN_KEYRING missing (apt-get install debian-archive-keyring)"
  local mirror
  mirror="$(debian_mirror)"
  printf 'deb [arch=%s signed-by=%s] %s %s main\n' "$arch" "$RVX_DEBIAN_KEYRING" "$mirror" "$RVX_SUITE" \
    >"$APT_DIR/etc/sources.list.tmp"
  mv -f "$APT_DIR/etc/sources.list.tmp" "$APT_DIR/etc/sources.list"
  : >"$APT_DIR/state/status.empty"          # "an empty system": nothing installed
  APT_OPTS=(
    -o "APT::Architecture=$arch"
    -o "APT::Architectures=$arch"
    -o "Dir::State=$APT_DIR/state"
    -o "Dir::State::Lists=$APT_DIR/lists"
    -o "Dir::State::status=$APT_DIR/state/status.empty"
    -o "Dir::Cache=$APT_DIR"
    -o "Dir::Cache::archives=$APT_DIR/archives"
    -o "Dir::Etc::SourceList=$APT_DIR/etc/sources.list"
    -o "Dir::Etc::SourceParts=$APT_DIR/etc/sources.list.d"
    -o "Dir::Etc::Preferences=$APT_DIR/etc/preferences"
    -o "Dir::Etc::PreferencesParts=$APT_DIR/etc/preferences.d"
    -o "Dir::Etc::Trusted=$APT_DIR/etc/trusted.gpg"
    -o "Dir::Etc::TrustedParts=$APT_DIR/etc/trusted.gpg.d"
    -o "Dir::Log=$APT_DIR/state"
    -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root"
    -o "APT::Install-Recommends=false"
    -o "APT::Install-Suggests=false"
    -o "APT::Get::AllowUnauthenticated=false"
    -o "Acquire::Languages=none"
    -o "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false"
    -o "Acquire::Retries=3"
    -o "Dpkg::Use-Pty=false"
  )
}

# apt_update [force]: refresh the private lists when missing, older than
# RVX_APT_MAX_AGE_DAYS (default 7), or forced. Offline-tolerant: a failed refresh
# with usable old lists is a warning, not an error.
apt_update() {
  local force="${1:-}" have_lists=0 stale=0
  if compgen -G "$APT_DIR/lists/*_Packages*" >/dev/null; then
    have_lists=1
    if [[ -n "$(find "$APT_DIR/lists" -maxdepth 1 -name '*InRelease' -mtime +"${RVX_APT_MAX_AGE_DAYS:-7}" -print -quit)" ]]; then
      stale=1
    fi
  fi
  if [[ $have_lists == 1 && $stale == 0 && -z "$force" ]]; then
    return 0
  fi
  log "apt-get update ($RVX_SUITE, ${APT_OPTS[1]#*=}) ..."
  if ! apt-get "${APT_OPTS[@]}" -q update >"$APT_DIR/state/update.log" 2>&1; then
    if [[ $have_lists == 1 ]]; then
      log "warning: apt-get update failed; using the cached package lists (see $APT_DIR/state/update.log)"
      return 0
    fi
    cat "$APT_DIR/state/update.log" >&2
    die "apt-get update for $RVX_SUITE failed (network? archive signature? see above)"
  fi
  if grep -Eq '^(W|E): ' "$APT_DIR/state/update.log"; then
    grep -E '^(W|E): ' "$APT_DIR/state/update.log" >&2
    grep -q '^E: ' "$APT_DIR/state/update.log" && die "apt-get update for $RVX_SUITE reported errors"
  fi
  compgen -G "$APT_DIR/lists/*_Packages*" >/dev/null ||
    die "apt-get update produced no Packages list for $RVX_SUITE"
}
