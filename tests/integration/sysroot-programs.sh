#!/usr/bin/env bash
# Differential test of real Debian trixie programs: the riscv64 build under
# `rvx run -L SYSROOT` against the amd64 build of the same version run natively
# (through its own ld.so, from the amd64 sysroot), on the same deterministic input.
# stdout, output files and exit status must be identical.
#
# Usage: sysroot-programs.sh RVX RISCV64_SYSROOT AMD64_SYSROOT GROUP
#   GROUP: xz lua sqlite python perl coreutils gzip bzip2 tar bash
# Exit 77 (ctest SKIP) when a sysroot is missing; never passes without running.
# env: RVX_RUN_FLAGS (extra `rvx run` flags, e.g. --engine=interp)
set -u
RVX=$1 RV=$2 AMD=$3 GROUP=$4
for root in "$RV" "$AMD"; do
    if [[ ! -x $root/usr/bin/bash ]]; then
        echo "SKIP: sysroot $root missing (tools/debian-sysroot.sh)"
        exit 77
    fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C TZ=UTC
unset LANG LANGUAGE
fail=0 pass=0

amd_ld=$AMD/lib64/ld-linux-x86-64.so.2
amd_libs=$AMD/usr/lib/x86_64-linux-gnu:$AMD/lib/x86_64-linux-gnu
# native PROG ARGS...: the amd64 build (PROG relative to usr/bin).
native() { local prog=$1; shift; "$amd_ld" --library-path "$amd_libs" "$AMD/usr/bin/$prog" "$@"; }
# guest PROG ARGS...: the riscv64 build under rvx.
# shellcheck disable=SC2086
guest() { local prog=$1; shift; "$RVX" run ${RVX_RUN_FLAGS:-} -L "$RV" "$RV/usr/bin/$prog" "$@"; }

# compare NAME PROG ARGS... (stdin from $tmp/stdin if present): same stdout + status.
compare() {
    local name=$1
    shift
    local in=/dev/null
    [[ -f $tmp/stdin ]] && in=$tmp/stdin
    (cd "$tmp/work-native" && native "$@" <"$in" >"$tmp/native.out" 2>"$tmp/native.err")
    local rn=$?
    (cd "$tmp/work-guest" && guest "$@" <"$in" >"$tmp/guest.out" 2>"$tmp/guest.err")
    local rg=$?
    if [[ $rn != "$rg" ]] || ! cmp -s "$tmp/native.out" "$tmp/guest.out"; then
        echo "FAIL $GROUP/$name: status native $rn, rvx $rg"
        diff <(head -c 20000 "$tmp/native.out") <(head -c 20000 "$tmp/guest.out") | head -20
        echo "--- rvx stderr:"; head -c 2000 "$tmp/guest.err"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
    rm -f "$tmp/stdin"
}

# same_file NAME PATH: a file both runs wrote (relative to the work dirs) is identical.
same_file() {
    if cmp -s "$tmp/work-native/$2" "$tmp/work-guest/$2"; then
        pass=$((pass + 1))
    else
        echo "FAIL $GROUP/$1: $2 differs"
        fail=$((fail + 1))
    fi
}

mkdir -p "$tmp/work-native" "$tmp/work-guest"
# Deterministic inputs, identical in both work directories.
make_inputs() {
    awk 'BEGIN { s = 12345; for (i = 1; i <= 60000; i++) { s = (s * 1103515245 + 12345) % 2147483648;
                 printf "%d %s line-%d %x\n", s % 1000, substr("alphabetagammadeltaepsilon", s % 20 + 1, 5), i, s } }' \
        >"$1/lines.txt"
    head -c 300000 "$1/lines.txt" >"$1/small.txt"
    mkdir -p "$1/tree/sub/deeper" "$1/tree/empty"
    printf 'hello\n' >"$1/tree/a.txt"
    head -c 5000 "$1/lines.txt" >"$1/tree/sub/b.dat"
    printf '#!/bin/sh\necho hi\n' >"$1/tree/sub/run.sh"
    chmod 755 "$1/tree/sub/run.sh"
    chmod 600 "$1/tree/a.txt"
    ln -s ../a.txt "$1/tree/sub/link"
    printf 'x' >"$1/tree/sub/deeper/c"
    find "$1/tree" -exec touch -h -d '2024-02-29 12:34:56' {} +
}
make_inputs "$tmp/work-native"
make_inputs "$tmp/work-guest"

case $GROUP in
xz)
    # 10 MB round trip, single- and multi-threaded (-T4 with small blocks so the
    # four threads really split the work).
    awk 'BEGIN { for (i = 1; i <= 400000; i++) printf "record %07d value %d\n", i, (i * 7919) % 65536 }' \
        | head -c 10485760 >"$tmp/big"
    cp "$tmp/big" "$tmp/work-native/big"
    cp "$tmp/big" "$tmp/work-guest/big"
    compare compress-T4 xz -0 -T4 --block-size=1MiB -c big
    cp "$tmp/guest.out" "$tmp/work-guest/big.xz"
    cp "$tmp/native.out" "$tmp/work-native/big.xz"
    compare decompress xz -dc big.xz
    cmp -s "$tmp/guest.out" "$tmp/big" && pass=$((pass + 1)) || { echo "FAIL xz/roundtrip"; fail=$((fail + 1)); }
    compare compress-T1 xz -1 -T1 -c small.txt
    compare list xz --robot -l big.xz
    ;;
lua)
    cat >"$tmp/stdin" <<'EOF'
local function counter(start)
  local n = start
  return function(step) n = n + (step or 1); return n end
end
local c = counter(10)
print(c(), c(5), c())
local gen = coroutine.wrap(function()
  for i = 1, 5 do coroutine.yield(i * i) end
  return "done"
end)
local t = {}
for _ = 1, 6 do t[#t + 1] = tostring(gen()) end
print(table.concat(t, ","))
local co = coroutine.create(function(a, b)
  local x = coroutine.yield(a + b)
  local y = coroutine.yield(x * 2)
  return x + y
end)
print(coroutine.resume(co, 1, 2)); print(coroutine.resume(co, 10)); print(coroutine.resume(co, 7))
print(coroutine.status(co), coroutine.resume(co))
print(string.format("%5.2f|%-8s|%08x|%q|%g|%e", math.pi, "left", 48879, "quote\"d\n", 1e300 * 10, 12345.6789))
local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do words[#words + 1] = w:upper() end
table.sort(words)
print(table.concat(words, " "))
local acc = 0
for i = 1, 200000 do acc = (acc * 31 + i) % 1000000007 end
print(acc, 7 // 2, 7 % -3, 2 ^ 53, math.maxinteger, 0.1 + 0.2)
print(select(2, pcall(function() error({code = 42}) end)).code)
print(select("#", pcall(error)))
print(string.rep("ab", 3, "-"), ("%d items"):format(3), utf8.char(72, 228, 8364))
EOF
    compare script lua5.4 -
    ;;
sqlite)
    {
        echo "CREATE TABLE t(id INTEGER PRIMARY KEY, grp TEXT, val INTEGER, note TEXT);"
        echo "BEGIN;"
        awk 'BEGIN { s = 7; for (i = 1; i <= 3000; i++) { s = (s * 1103515245 + 12345) % 2147483648;
             printf "INSERT INTO t(grp, val, note) VALUES (%c%s%c, %d, %cn%d%c);\n", 39, "g" (s % 17), 39, s % 100000, 39, i, 39 } }'
        echo "COMMIT;"
        echo "CREATE INDEX t_grp ON t(grp, val);"
        echo "SELECT grp, count(*), sum(val), min(val), max(val), printf('%.3f', avg(val)) FROM t GROUP BY grp ORDER BY grp;"
        echo "SELECT count(DISTINCT grp), total(val) / count(*) FROM t;"
        echo "EXPLAIN QUERY PLAN SELECT * FROM t WHERE grp = 'g3' AND val > 500;"
        echo "SELECT id, val FROM t WHERE grp = 'g3' AND val > 50000 ORDER BY val DESC LIMIT 5;"
        echo "WITH RECURSIVE f(n, x) AS (SELECT 1, 1 UNION ALL SELECT n + 1, x * 2 FROM f WHERE n < 20) SELECT group_concat(x, ' ') FROM f;"
        echo "SELECT upper(note) || '-' || length(note), hex(zeroblob(2)) FROM t WHERE id % 997 = 0;"
    } >"$tmp/stdin"
    compare queries sqlite3 -batch :memory:
    ;;
python)
    cat >"$tmp/prog.py" <<'EOF'
import hashlib, json, itertools, functools, collections, re, struct, math, zlib

class Shape:
    registry = []
    def __init__(self, name): self.name = name; Shape.registry.append(self)
    def area(self): raise NotImplementedError
    def __repr__(self): return f"{type(self).__name__}({self.name!r}, {self.area():.4f})"

class Circle(Shape):
    def __init__(self, r): super().__init__(f"c{r}"); self.r = r
    def area(self): return math.pi * self.r ** 2

class Rect(Shape):
    def __init__(self, w, h): super().__init__(f"r{w}x{h}"); self.w, self.h = w, h
    def area(self): return self.w * self.h

shapes = [Circle(r) for r in range(1, 4)] + [Rect(w, w + 1) for w in range(2, 5)]
print(sorted(shapes, key=lambda s: s.area()))

def primes():
    seen = []
    for n in itertools.count(2):
        if all(n % p for p in seen if p * p <= n):
            seen.append(n)
            yield n

print(list(itertools.islice(primes(), 25)))
gen = (x * x for x in range(10) if x % 3)
print(sum(gen), functools.reduce(lambda a, b: a * b, range(1, 20)))

data = {"name": "rvx", "nums": [1, 2.5, -3e10, None, True], "nested": {"k": ["a", {"b": "ü"}]}}
text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)
print(text)
print(json.loads(text) == data, json.dumps(json.loads('{"x": [1e400, -0.0]}')))

for algo in ("md5", "sha1", "sha256", "sha512", "blake2b", "sha3_256"):
    h = hashlib.new(algo)
    for i in range(200):
        h.update(str(i).encode() * 50)
    print(algo, h.hexdigest())
print(zlib.crc32(b"rvx" * 1000), zlib.compress(b"abc" * 100, 9).hex()[:40])
print(collections.Counter("mississippi").most_common(3), re.findall(r"(\w)\1", "aabbcdde"))
print(struct.pack("<dQh", 1.5, 2**63 + 5, -2).hex(), 2**100 // 7, float.fromhex("0x1.8p1"))
print(f"{1/3:.15f} {1e-7!r} {123456789.123456789:,.3f} {complex(1, -2) ** 3}")
EOF
    cp "$tmp/prog.py" "$tmp/work-native/prog.py"
    cp "$tmp/prog.py" "$tmp/work-guest/prog.py"
    compare program python3 -I prog.py
    ;;
perl)
    cat >"$tmp/stdin" <<'EOF'
my %count;
my @lines = map { sprintf("%d %s item-%d", ($_ * 37) % 101, (qw(red green blue))[$_ % 3], $_) } 1 .. 5000;
for (@lines) {
    next unless /^(\d+)\s+(\w+)\s+item-(\d+)$/;
    $count{$2} += $1;
    $count{"odd"}++ if $3 % 2;
}
print join(",", map { "$_=$count{$_}" } sort keys %count), "\n";
my $text = join(" ", @lines[0 .. 40]);
(my $t = $text) =~ s/item-(\d+)/"I" . ($1 * 2)/ge;
print substr($t, 0, 120), "\n";
my @m = ($text =~ /\b(g\w+)\s+item-(1\d)\b/g);
print "@m\n";
print scalar(() = $text =~ /e/g), "\n";
my $s = "The year 1999 and 2024, then 1066.";
my @years = sort { $a <=> $b } $s =~ /(\d{4})/g;
print "@years\n";
$_ = "aaa bbb ccc"; tr/a-c/A-C/; print "$_\n";
print join("|", split /\s*,\s*/, "a , b,c ,d"), "\n";
printf "%.3f %e %05d %s\n", 3.14159265, 6.02e23, 42, lc("MiXeD");
my $re = qr/(?<word>\w+)@(?<host>[\w.]+)/;
"mail me: user\@example.org" =~ $re and print "$+{word} at $+{host}\n";
print join(",", map { sprintf "%02x", ord } split //, "perl"), "\n";
EOF
    compare regex perl -
    ;;
coreutils)
    compare sort sort lines.txt
    compare sort-n sort -n -k1,1 -k3,3r lines.txt
    compare sort-u sort -u -t ' ' -k2,2 lines.txt
    compare sha256sum sha256sum lines.txt small.txt tree/a.txt
    compare ls-l ls -l tree tree/sub
    compare ls-lR ls -lR --time-style=full-iso tree
    ;;
gzip)
    compare compress gzip -9 -n -c lines.txt
    cp "$tmp/native.out" "$tmp/work-native/l.gz"
    cp "$tmp/guest.out" "$tmp/work-guest/l.gz"
    compare decompress gzip -dc l.gz
    compare test gzip -tv l.gz
    ;;
bzip2)
    compare compress bzip2 -9 -c small.txt
    cp "$tmp/native.out" "$tmp/work-native/s.bz2"
    cp "$tmp/guest.out" "$tmp/work-guest/s.bz2"
    compare decompress bzip2 -dc s.bz2
    ;;
tar)
    compare create tar --sort=name --mtime='2024-01-01 00:00:00' --owner=0 --group=0 --numeric-owner \
        --format=gnu -cf - tree
    cp "$tmp/native.out" "$tmp/work-native/t.tar"
    cp "$tmp/guest.out" "$tmp/work-guest/t.tar"
    compare list tar -tvf t.tar
    mkdir -p "$tmp/work-native/x" "$tmp/work-guest/x"
    compare extract tar -xf t.tar -C x
    (cd "$tmp/work-native/x" && find . -printf '%p %m %s %l\n' | sort) >"$tmp/n.lst"
    (cd "$tmp/work-guest/x" && find . -printf '%p %m %s %l\n' | sort) >"$tmp/g.lst"
    cmp -s "$tmp/n.lst" "$tmp/g.lst" && pass=$((pass + 1)) || { echo "FAIL tar/extracted tree"; diff "$tmp/n.lst" "$tmp/g.lst"; fail=$((fail + 1)); }
    same_file extracted-data x/tree/sub/b.dat
    ;;
bash)
    compare pipes bash --norc --noprofile +m -c '
        for i in $(seq 1 5); do echo "n=$i"; done | while read -r l; do echo "${l#n=}"; done | { s=0; while read -r v; do s=$((s + v)); done; echo "sum=$s"; }
        x=$( (echo sub; exit 3) ); echo "captured=$x status=$?"
        ( cd tree && echo * ) ; [[ -d tree ]] && echo "back in the work directory"
        declare -A m=([one]=1 [two]=2); for k in $(printf "%s\n" "${!m[@]}" | sort); do echo "$k=${m[$k]}"; done
        arr=(c b a); IFS=, ; echo "${arr[*]}"; unset IFS
        f() { local v=$1; echo $((v * v)); return $((v % 4)); }; f 7; echo "ret=$?"
        set -o pipefail; false | true; echo "pipefail=$?"; set +o pipefail
        case "abc.tar.gz" in *.tar.gz) echo tgz ;; *) echo other ;; esac
        printf "%05.1f|%-6s|%x\n" 3.14159 ab 255
        str="Hello, World"; echo "${str,,} ${str^^} ${str:7} ${#str} ${str/World/rvx}"
        trap "echo trapped" EXIT; kill -0 $$ && echo alive
        wc -l < lines.txt; sort -n lines.txt | head -3 | cut -d" " -f1,3
    '
    ;;
*)
    echo "unknown group $GROUP"
    exit 2
    ;;
esac
echo "$GROUP: $pass passed, $fail failed"
((fail == 0))
