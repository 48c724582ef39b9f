#!/usr/bin/env bash
# tests/integration/busybox-applets.sh — differential test: Debian's riscv64 busybox under
# shellcheck disable=SC2016  # awk/sed/sh programs are single-quoted on purpose
# `rvx run` against the same busybox version built for amd64, run natively.
#
# Usage: busybox-applets.sh RVX BUSYBOX_RISCV64 BUSYBOX_AMD64 [GROUP...]
#   RVX    the rvx binary (or tests/integration/qemu-as-rvx.sh); run as
#          `RVX run $RVX_RUN_FLAGS BUSYBOX_RISCV64 APPLET ARGS...` (RVX_RUN_FLAGS may
#          hold e.g. --engine=interp)
#   GROUP  one or more of: sh hash sort awk sed grep find tar gzip bc dd text misc exec
#          (default: all). ctest registers one test per group.
# Exit: 0 all cases equal, 1 a difference or error, 77 skipped (busybox files missing).
#
# Invariants:
#   - each side runs in its own copy of the same scratch tree (fixed input files,
#     generated once with the native busybox, copied with cp -a so mtimes match),
#     with an empty environment except LC_ALL=C TZ=UTC HOME PATH; PATH names no
#     host directory, so only busybox applets run (group exec adds a bin/ of applet
#     symlinks, which needs execve of guest binaries to work).
#   - per case, stdout, stderr (busybox paths normalised) and the exit code must be
#     byte-for-byte equal; after each group the two scratch trees (names, types,
#     contents, modes) must be equal too.
#   - the last line is "N passed, N failed".
set -euo pipefail

if [[ $# -lt 3 ]]; then
  sed -n '4,12s/^# \{0,1\}//p' "$0" >&2
  exit 2
fi
RVX="$1" BB_RV="$2" BB_AMD="$3"
shift 3
ALL_GROUPS=(sh hash sort awk sed grep find tar gzip bc dd text misc exec)
groups=("$@")
[[ ${#groups[@]} -gt 0 ]] || groups=("${ALL_GROUPS[@]}")
for g in "${groups[@]}"; do
  [[ " ${ALL_GROUPS[*]} " == *" $g "* ]] || { echo "busybox-applets.sh: unknown group '$g'" >&2; exit 2; }
done
for f in "$BB_RV" "$BB_AMD"; do
  if [[ -z "$f" || "$f" == *NOTFOUND* || ! -x "$f" ]]; then
    echo "SKIP: busybox binary '$f' not available (run tools/busybox.sh riscv64 and amd64, or tools/test.sh)" >&2
    exit 77
  fi
done
[[ -x "$RVX" ]] || { echo "busybox-applets.sh: RVX '$RVX' is not executable" >&2; exit 1; }
read -r -a RUN_FLAGS <<<"${RVX_RUN_FLAGS:-}"
CASE_TIMEOUT="${RVX_CASE_TIMEOUT:-300}"
TIMEOUT_BIN="$(command -v timeout)" || { echo "busybox-applets.sh: timeout(1) not found" >&2; exit 1; }

S="$(mktemp -d "${TMPDIR:-/tmp}/rvx-bbtest.XXXXXX")"
[[ -n "${RVX_KEEP_SCRATCH:-}" ]] || trap 'rm -rf "$S"' EXIT
mkdir -p "$S/in" "$S/res"
pass=0 fail=0

# ---- fixed inputs (made by the native busybox, so the host's tools do not matter) ----
nat() { env -i PATH=/rvx-no-path LC_ALL=C TZ=UTC HOME="$S" "$BB_AMD" "$@"; }
gen_inputs() {
  local d="$S/in"
  cat >"$d/words.txt" <<'EOF'
banana 3 yellow
apple 10 red
cherry 7 red
date 42 brown
apple 10 red
elderberry 1 black
fig -5 purple
grape 3 green
Banana 30 Yellow
kiwi 2.5 green
EOF
  printf '%s\n' 10 9 100 -3 0 007 2.5 1e3 42 42 -0 3 >"$d/nums.txt"
  printf 'id,name,score,city\n1,ann,93.5,Oslo\n2,bob,71,Lima\n3,cy,88.25,Rome\n4,di,71,Oslo\n5,ed,,Rome\n' >"$d/data.csv"
  printf 'line one\nline two\n\nthe quick brown fox\njumps over the lazy dog\nTHE END\nfoo=bar\nfoo = baz\n' >"$d/text.txt"
  printf 'no newline at end' >"$d/nonl.txt"
  : >"$d/empty.txt"
  mkdir -p "$d/tree/a/b/c" "$d/tree/x" "$d/tree/empty"
  printf 'alpha\n' >"$d/tree/a/one.txt"; printf 'beta\n' >"$d/tree/a/b/two.txt"
  printf 'gamma\n' >"$d/tree/a/b/c/three.md"; printf 'delta\n' >"$d/tree/x/four.txt"
  printf '#!/bin/sh\necho hi\n' >"$d/tree/x/run.sh"; chmod 755 "$d/tree/x/run.sh"
  ln -s ../a/one.txt "$d/tree/x/link.txt"
  # ~4 MB of compressible but non-trivial text: LCG-driven words and numbers.
  nat awk 'BEGIN { s = 12345; for (i = 0; i < 120000; i++) { s = (s * 1103515245 + 12345) % 2147483648;
            printf "%07d %s %x %.3f\n", i, substr("lorem ipsum dolor sit amet consectetur adipiscing elit", s % 40 + 1, 8 + s % 9), s, s / 65536 } }' >"$d/big.txt"
  nat head -c 300000 "$d/big.txt" >"$d/mid.bin"
  nat touch -d '2024-01-02 03:04:05' "$d"/*.txt "$d"/*.csv "$d"/*.bin
  find "$d/tree" -exec "$BB_AMD" touch -h -d '2024-01-02 03:04:05' {} +
  # shell scripts for the sh group
  cat >"$d/loops.sh" <<'EOF'
i=0 sum=0
while [ $i -lt 200 ]; do sum=$((sum + i * i)); i=$((i + 1)); done
echo "sum=$sum"
for w in one two three; do for n in 1 2; do printf '%s-%s ' "$w" "$n"; done; done; echo
i=0
until [ $i -ge 10 ]; do
  i=$((i + 1))
  [ $((i % 3)) -eq 0 ] && continue
  [ $i -gt 8 ] && break
  printf '%d,' $i
done; echo
set -- a "b c" d; for a in "$@"; do echo "[$a]"; done; echo "n=$#"
EOF
  cat >"$d/arith.sh" <<'EOF'
echo $((7 * 6)) $((100 / 7)) $((100 % 7)) $((-17 / 5)) $((-17 % 5)) $((1 << 40)) $((0xff & 0x0f)) $((0x10 | 1)) $((5 ^ 3))
echo $((9223372036854775807 + 1)) $((-9223372036854775807 - 1)) $((2 ** 62)) $((017)) $((~5)) $((!0)) $((3 > 2 && 1 < 0))
x=5; x=$((x += 3)); y=$((x++ + ++x)); echo $x $y $(( x > 9 ? 1 : 2 ))
echo $(( (1 << 63) >> 63 )) $(( 12345678901 * 1000 ))
EOF
  cat >"$d/func.sh" <<'EOF'
fib() { if [ "$1" -lt 2 ]; then echo "$1"; return; fi; a=$(fib $(($1 - 1))); b=$(fib $(($1 - 2))); echo $((a + b)); }
echo "fib12=$(fib 12)"
count() { local n=$#; echo "count=$n first=$1"; shift; echo "rest=$*"; return $n; }
count x y z; echo "ret=$?"
g() { local v=inner; echo "$v"; }; v=outer; g; echo "$v"
f() { return 3; }; f || echo "f failed with $?"
EOF
  cat >"$d/case.sh" <<'EOF'
for s in apple Banana cherry 42 x.tar.gz "" "a b" -v; do
  case "$s" in
    [aA]*) r=starts-a ;;
    *[Bb]anana) r=banana ;;
    [0-9]|[0-9][0-9]) r=number ;;
    *.tar.gz|*.tgz) r=tarball ;;
    "") r=empty ;;
    *" "*) r=space ;;
    -*) r=option ;;
    *) r=other ;;
  esac
  echo "'$s' -> $r"
done
EOF
  cat >"$d/heredoc.sh" <<'EOF'
name=world n=3
while IFS= read -r l; do echo "<$l>"; done <<END
hello $name, n*2=$((n * 2)), cmd=$(echo sub)
  indented \$literal
END
while IFS= read -r l; do echo "<$l>"; done <<'END'
no $expansion here $(echo x)
END
while IFS= read -r l; do echo "[$l]"; done <<-END
	tab-stripped $name
	END
while read -r a b; do echo "a=$a b=$b"; done <<END
1 one
2 two three
END
v=abcdefabc
echo ${#v} ${v%abc} ${v#abc} ${v%%c*} ${v##*c} ${v/b/B} ${v//b/B} ${v:2:3} ${u:-default} ${v:+set}
IFS=: read -r p q r <<END
x:y:z:w
END
echo "$p|$q|$r"
EOF
  cat >"$d/status.sh" <<'EOF'
false; echo "false=$?"
(exit 7); echo "subshell=$?"
true | false; echo "pipe=$?"
! false; echo "not=$?"
x=$(echo out; exit 4); echo "cmdsub=$? x=$x"
trap 'echo trap-exit' EXIT
f() { echo in-f; exit 42; }
f
echo not-reached
EOF
}

# ---- running one case on both sides ----
run_side() {   # SIDE STDIN STDOUT STDERR APPLET ARGS...
  local side="$1" in="$2" out="$3" err="$4" path=/rvx-no-path
  shift 4
  [[ -d "$S/$side/bin" ]] && path="$S/$side/bin"
  (
    cd "$S/$side"
    if [[ $side == rv ]]; then
      exec env -i LC_ALL=C TZ=UTC HOME=/rvx-home PATH="$path" \
        "$TIMEOUT_BIN" "$CASE_TIMEOUT" "$RVX" run "${RUN_FLAGS[@]}" "$BB_RV" "$@" <"$in" >"$out" 2>"$err"
    else
      exec env -i LC_ALL=C TZ=UTC HOME=/rvx-home PATH="$path" \
        "$TIMEOUT_BIN" "$CASE_TIMEOUT" "$BB_AMD" "$@" <"$in" >"$out" 2>"$err"
    fi
  )
}

# t NAME [-i STDIN_FILE] [-o STDOUT_FILE] APPLET ARGS...   (files relative to the scratch tree)
t() {
  local name="$1" in=/dev/null out="" side rc_rv rc_nat ok=1
  shift
  while [[ $# -gt 0 && ( "$1" == -i || "$1" == -o ) ]]; do
    [[ "$1" == -i ]] && in="$2"
    [[ "$1" == -o ]] && out="$2"
    shift 2
  done
  for side in rv nat; do
    local o="$S/res/$side.out"
    [[ -n "$out" ]] && o="$S/$side/$out"
    local i="$in"
    [[ "$in" == /* ]] || i="$S/$side/$in"
    set +e
    run_side "$side" "$i" "$o" "$S/res/$side.err" "$@"
    echo $? >"$S/res/$side.rc"
    set -e
    sed -i -e "s#$BB_RV#BUSYBOX#g; s#$BB_AMD#BUSYBOX#g; s#$S/$side#SCRATCH#g" "$S/res/$side.err"
    [[ -n "$out" ]] && : >"$S/res/$side.out"
  done
  rc_rv="$(<"$S/res/rv.rc")" rc_nat="$(<"$S/res/nat.rc")"
  [[ "$rc_rv" == "$rc_nat" ]] || ok=0
  # The harness itself failing (env/timeout could not start the program) is never a pass.
  if [[ "$rc_nat" == 12[67] ]] && grep -qE '^(env|timeout): ' "$S/res/nat.err"; then
    ok=0
  fi
  cmp -s "$S/res/rv.out" "$S/res/nat.out" || ok=0
  cmp -s "$S/res/rv.err" "$S/res/nat.err" || ok=0
  if [[ $ok == 1 ]]; then
    pass=$((pass + 1))
    [[ -n "${RVX_VERBOSE:-}" ]] && echo "ok   $name (exit $rc_nat)"
  else
    fail=$((fail + 1))
    echo "FAIL $name: busybox $*${in:+ <$in}${out:+ >$out}"
    echo "     exit status: rvx $rc_rv, native $rc_nat"
    if ! cmp -s "$S/res/rv.out" "$S/res/nat.out"; then
      echo "     stdout differs (--- native, +++ rvx):"
      diff -u "$S/res/nat.out" "$S/res/rv.out" | head -n 30 | sed 's/^/       /' || true
    fi
    if ! cmp -s "$S/res/rv.err" "$S/res/nat.err"; then
      echo "     stderr differs (--- native, +++ rvx):"
      diff -u "$S/res/nat.err" "$S/res/rv.err" | head -n 30 | sed 's/^/       /' || true
    fi
  fi
  return 0
}

# Compare what the group left in the two scratch trees.
tree_listing() {
  (cd "$1" && find . -mindepth 1 ! -path './bin' ! -path './bin/*' -printf '%y %m %P -> %l\n' | LC_ALL=C sort &&
    find . -type f ! -path './bin/*' -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
}
check_trees() {
  if diff -u <(tree_listing "$S/nat") <(tree_listing "$S/rv") >"$S/res/tree.diff"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $1: files left in the scratch trees differ (--- native, +++ rvx):"
    head -n 40 "$S/res/tree.diff" | sed 's/^/       /'
  fi
}

# ---- groups ----
g_sh() {
  local f
  for f in loops arith func case heredoc status; do t "sh.$f" sh "$f.sh"; done
  t sh.c-exit sh -c 'exit 42'
  t sh.pipeline sh -c 'i=0; while [ $i -lt 50 ]; do echo $i; i=$((i+1)); done | sort -rn | head -n 3'
  t sh.stdin -i heredoc.sh sh -s
  t sh.redirect sh -c 'echo to-file >out.txt; echo more >>out.txt; while read -r l; do echo "got $l"; done <out.txt; echo err >&2; exec 3>fd3.txt; echo three >&3'
}
g_hash() {
  t hash.sha256 sha256sum words.txt big.txt empty.txt nonl.txt
  t hash.md5 md5sum words.txt big.txt empty.txt
  t hash.sha1 sha1sum big.txt
  t hash.sha512 sha512sum big.txt mid.bin
  t hash.sha3 sha3sum big.txt
  t hash.stdin -i big.txt sha256sum
  t hash.check-make -o sums.txt sha256sum words.txt text.txt
  t hash.check sha256sum -c sums.txt
  t hash.missing md5sum no-such-file
}
g_sort() {
  t sort.plain sort words.txt
  t sort.n sort -n nums.txt
  t sort.g sort -g nums.txt
  t sort.nr sort -n -r nums.txt
  t sort.u sort -u words.txt
  t sort.k2n sort -k2,2n words.txt
  t sort.k3-k1r sort -k3,3 -k1,1r words.txt
  t sort.t sort -t, -k3,3n -k2 data.csv
  t sort.f sort -f words.txt
  t sort.s sort -s -k3,3 words.txt
  t sort.big sort big.txt
  t sort.check sort -c words.txt
  t sort.multi sort -m nums.txt words.txt
}
g_awk() {
  t awk.printf awk 'BEGIN { printf "%5.2f|%-6s|%x|%o|%e|%c|%5d|%s\n", 3.14159, "ab", 255, 8, 12345.678, 65, -42, "end" }'
  t awk.fields awk '{ s += $2; n++ } END { print s, n, s / n, NR }' words.txt
  t awk.arrays awk '{ c[$3]++; w[$1] = w[$1] " " $2 } END { for (k in c) print k, c[k], w[k]; for (k in w) print k, w[k]; print length(c) }' words.txt
  t awk.math awk 'BEGIN { printf "%.10f %.10f %.10f %.10f %.10f %.10f %d\n", sin(1), cos(2), atan2(1, 2), exp(3), log(10), sqrt(2), int(-7.9) }'
  t awk.pow awk 'BEGIN { print 2^53, 2^53 + 1, 1e300 * 1e10, -1e300 * 1e10, 0.1 + 0.2, 1/3, 100000 * 100000, 2^31 % 7 }'
  t awk.strings awk '{ print toupper(substr($1, 2, 3)), index($1, "an"), length($0), match($0, /[0-9]+/), RSTART, RLENGTH; n = split($0, p, "e"); gsub(/a/, "A"); print n, $0 }' words.txt
  t awk.fs awk -F, 'NR > 1 && $3 != "" { t[$4] += $3 } END { for (c in t) printf "%s %.2f\n", c, t[c] }' data.csv
  t awk.rand awk 'BEGIN { srand(1); for (i = 0; i < 5; i++) printf "%.6f ", rand(); print "" }'
  t awk.big awk '{ n += length($2); h = (h * 31 + $1) % 1000003 } END { print NR, n, h }' big.txt
  t awk.sprintf awk 'BEGIN { x = sprintf("%08.3f/%+d/%5.1e", -3.5, 7, 0.000123); print x; print 1e6, 1e16, 123456789012, 0.000001 }'
}
g_sed() {
  t sed.g sed 's/a/A/g' words.txt
  t sed.nth sed 's/e/E/2' words.txt
  t sed.addr sed -n '2,4p; $p' words.txt
  t sed.re-range sed '/cherry/,/fig/d' words.txt
  t sed.E sed -E 's/^([a-z]+) ([0-9]+)/\2:\1/' words.txt
  t sed.multi sed -e 's/red/RED/' -e '/green/d' -e '1i\
header' -e '$a\
footer' words.txt
  t sed.y sed 'y/abc/xyz/' words.txt
  t sed.hold sed -n '1!G; h; $p' text.txt
  t sed.change sed '3c\
changed' text.txt
  t sed.big sed -n 's/\(lorem\|ipsum\)/<&>/gp' mid.bin
  t sed.inplace-copy -o edit.txt sed 's/o/0/g' text.txt
  t sed.inplace sed -i -e 's/0/o/2' -e '/^$/d' edit.txt
}
g_grep() {
  t grep.E grep -E 'apple|fig|^ki' words.txt
  t grep.c grep -c red words.txt
  t grep.v grep -v -e red -e green words.txt
  t grep.i-n grep -i -n banana words.txt
  t grep.o-w grep -o -w '[0-9]*' words.txt
  t grep.x grep -x 'THE END' text.txt
  t grep.F grep -F 'foo = ' text.txt
  t grep.ctx grep -A1 -B1 lazy text.txt
  t grep.l grep -l line words.txt text.txt data.csv
  t grep.r grep -r a tree
  t grep.nomatch grep zzz words.txt
  t grep.missing grep x no-such-file
  t grep.big-c grep -c -E ' (lorem|amet)' big.txt
}
g_find() {
  t find.name find tree -name '*.txt'
  t find.type-d find tree -type d
  t find.type-f find tree -type f
  t find.type-l find tree -type l
  t find.maxdepth find tree -maxdepth 2 -name '*.*'
  t find.empty find tree -empty
  t find.not find tree ! -name '*.txt' -type f
  t find.exec find tree -name '*.txt' -exec sha256sum {} +
  t find.perm find tree -perm -100 -type f
  t find.size find . -maxdepth 1 -size +100k
}
g_tar() {
  t tar.c tar cf t.tar tree words.txt
  t tar.t tar tf t.tar
  t tar.tv tar tvf t.tar
  t tar.mkdir mkdir x
  t tar.x tar xf t.tar -C x
  t tar.diff diff -r tree x/tree
  t tar.stdout -o t2.tar tar cf - tree
  t tar.cmp cmp t.tar t2.tar
}
g_gzip() {
  t gzip.c -o big.txt.gz gzip -c big.txt
  t gzip.9 -o mid.gz gzip -9 -c mid.bin
  t gzip.1 -o mid1.gz gzip -1 -c mid.bin
  t gzip.t gzip -t big.txt.gz
  t gzip.d -o big.out gunzip -c big.txt.gz
  t gzip.cmp cmp big.txt big.out
  t gzip.zcat -o mid.zcat zcat mid.gz
  t gzip.zcat-cmp cmp mid.bin mid.zcat
  t gzip.bz2 -o mid.bz2 bzip2 -c mid.bin
  t gzip.bunzip2 -o mid.unbz2 bunzip2 -c mid.bz2
  t gzip.bunzip2-cmp cmp mid.bin mid.unbz2
  t gzip.bzip2-t bzip2 -t mid.bz2
  t gzip.in-place gzip -6 words.txt
  t gzip.in-place-d gunzip words.txt.gz
  t gzip.truncate -o trunc.gz head -c 1000 big.txt.gz
  t gzip.corrupt -i trunc.gz gunzip -c
}
g_bc() {
  t bc.pi -i bc1.txt bc -l
  t bc.funcs -i bc2.txt bc -l
  t bc.int -i bc3.txt bc
}
g_dd() {
  t dd.bs-count dd if=big.txt of=part.bin bs=4096 count=10 skip=3 status=none
  t dd.bs1 -i mid.bin dd bs=1 count=777 skip=5 status=none
  t dd.conv dd if=words.txt conv=ucase status=none
  t dd.seek dd if=words.txt of=seek.bin bs=16 seek=3 count=2 status=none
  t dd.stats sh -c 'dd if=mid.bin of=/dev/null bs=1000 count=7 2>&1 | head -n 2'
}
g_text() {
  t text.wc wc words.txt text.txt nonl.txt empty.txt
  t text.wc-l wc -l big.txt
  t text.wc-stdin -i big.txt wc -c -w
  t text.head head -n 3 words.txt
  t text.head-c head -c 100 big.txt
  t text.tail tail -n 2 words.txt
  t text.tail-plus tail -n +8 text.txt
  t text.tail-c tail -c 50 big.txt
  t text.sorted -o sorted.txt sort words.txt
  t text.uniq-c uniq -c sorted.txt
  t text.uniq-d -i words.txt uniq -d
  t text.uniq-u uniq -u sorted.txt
  t text.uniq-i uniq -i -c sorted.txt
  t text.tr -i words.txt tr 'a-z' 'A-Z'
  t text.tr-d -i text.txt tr -d 'aeiou'
  t text.tr-s -i text.txt tr -s 'lo '
  t text.tr-class -i words.txt tr '[:lower:][:digit:]' '[:upper:]#'
  t text.cut-f cut -d, -f2,4 data.csv
  t text.cut-c cut -c 2-5,8- words.txt
  t text.cut-s cut -d' ' -f2 -s text.txt
  t text.paste paste -d: words.txt nums.txt
  t text.nl nl text.txt
  t text.rev rev words.txt
  t text.tac tac words.txt
  t text.od od -A x -t x1z -N 64 big.txt
}
g_misc() {
  t misc.seq seq 5
  t misc.seq-s seq -s, 10 -3 -20
  t misc.seq-w seq -w 8 11
  t misc.seq-f seq 0 0.25 2
  t misc.xargs -i words.txt xargs -n 4 echo
  t misc.xargs-I sh -c 'seq 3 | xargs -I{} echo item-{}-end'
  t misc.printf printf '%d|%5s|%-5s|%x|%o|%e|%g|%c|%b|%%\n' 42 ab cd 255 8 3.5 0.0001 x 'a\tb'
  t misc.printf-repeat printf '<%s>\n' a b c
  t misc.printf-neg printf '%i %u %.3s\n' -7 3 abcdef
  t misc.expr-arith expr 7 \* 6 + 1
  t misc.expr-div expr 100 / 7 % 3
  t misc.expr-match expr match abc123 '[a-z]*'
  t misc.expr-length expr length 'hello world'
  t misc.expr-substr expr substr abcdef 2 3
  t misc.expr-cmp expr abc '<' abd
  t misc.expr-false expr 0 + 0
  t misc.expr-err expr 1 / 0
  t misc.test-f test -f words.txt
  t misc.test-d test -d words.txt
  t misc.test-str test abc = abd
  t misc.test-num test 10 -gt 9 -a ! -z x
  t misc.test-bracket [ -s empty.txt -o -e nonl.txt ]
  t misc.basename basename /a/b/c.txt .txt
  t misc.factor factor 600851475143 1234567
  t misc.echo echo -e 'a\tb\n\x41'
}
g_exec() {
  # Applets found through PATH (not run in-process by the shell): the guest execve()s
  # guest binaries, and tar -z runs gzip as a child program.
  local side a
  for side in rv nat; do
    mkdir -p "$S/$side/bin"
    for a in tar gzip gunzip ls cat env sh grep sort head; do
      ln -sf "$([[ $side == rv ]] && echo "$BB_RV" || echo "$BB_AMD")" "$S/$side/bin/$a"
    done
  done
  # Programs exec /bin/sh by absolute path (awk's popen, system()). On a riscv64
  # system that is a riscv64 shell: give the guest a sysroot whose /bin/sh is the
  # riscv64 busybox (other paths fall through to the host, as -L does).
  mkdir -p "$S/rvroot/bin"
  ln -sf "$BB_RV" "$S/rvroot/bin/sh"
  RUN_FLAGS+=(-L "$S/rvroot")
  t exec.path sh -c 'ls words.txt; cat nonl.txt; echo; env | grep -v -e ^PATH= -e ^PWD= -e ^OLDPWD= | sort'
  t exec.tgz tar czf t.tgz tree
  t exec.tgz-list tar tzf t.tgz
  t exec.nested sh -c 'sh -c "exit 5"; echo nested=$?'
  # Applets that busybox runs by re-executing /proc/self/exe even without PATH.
  t exec.self-cat sh -c 'echo via-cat | cat; cat words.txt | head -n 2'
  t exec.awk-popen awk '{ print $1 | "sort -r" } END { close("sort -r"); print "done" }' words.txt
  t exec.find-exec find tree -name '*.md' -exec cat {} +
}

gen_inputs
printf 'scale=20\n4*a(1)\nsqrt(2)\ne(1)\nl(10)\ns(1)\nc(1)\n1/3\n' >"$S/in/bc1.txt"
cat >"$S/in/bc2.txt" <<'EOF'
define f(n) { if (n <= 1) return (1); return (n * f(n - 1)); }
f(30)
scale = 30
define h(x) { auto i, s; s = 0; for (i = 1; i <= x; i++) s += 1 / i; return (s); }
h(20)
obase = 16
255
2^70
EOF
printf '2^100\n12345678901234567890 * 98765432109876543210\n-7 / 2\n-7 %% 2\n10 / 3\nobase=2\n1023\n' >"$S/in/bc3.txt"

for g in "${groups[@]}"; do
  rm -rf "$S/rv" "$S/nat"
  cp -a "$S/in" "$S/rv"
  cp -a "$S/in" "$S/nat"
  "g_$g"
  check_trees "$g.files"
done
echo "${pass} passed, ${fail} failed"
[[ $fail -eq 0 ]]
