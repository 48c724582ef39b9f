#!/usr/bin/env bash
# Bad input never crashes rvx: each case must give its documented exit status and a
# one-line "rvx..." error, and corrupted programs (random bytes in headers or code)
# must end as a clean exit, a reported guest fault or the guest's own kill, never a
# host crash.
# Usage: bad-input.sh RVX GOOD_STATIC_RISCV64_ELF
set -u
RVX=$1 GOOD=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0

expect() { # NAME STATUS PATTERN CMD...
    local name=$1 want=$2 pattern=$3
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [[ $rc == "$want" ]] && grep -qE "$pattern" "$tmp/err"; then
        pass=$((pass + 1))
    else
        echo "FAIL $name: status $rc (want $want), stderr: $(head -c 300 "$tmp/err")"
        fail=$((fail + 1))
    fi
}

printf 'not an elf\n' >"$tmp/text"
head -c 64 "$GOOD" >"$tmp/header-only"
head -c 3000 "$GOOD" >"$tmp/truncated"
expect missing-file 1 '^rvx: .*No such file' "$RVX" run "$tmp/none"
expect not-elf 2 '^rvx: .*not an ELF file' "$RVX" run "$tmp/text"
expect wrong-machine 2 '^rvx: .*not a riscv64 ELF' "$RVX" run /bin/sh
expect header-only 2 '^rvx: .*not an executable ELF' "$RVX" run "$tmp/header-only"
expect truncated 2 '^rvx: .*truncated or corrupt' "$RVX" run "$tmp/truncated"
expect unknown-option 2 'unrecognized option' "$RVX" run --no-such-option "$GOOD"
expect unknown-engine 2 'unknown engine' "$RVX" run --engine=warp "$GOOD"
expect bad-guest-base 2 'bad guest base' "$RVX" run -B 0x1234 "$GOOD"
expect unplaceable-guest-base 1 'at the -B address' "$RVX" run -B 0x7fff00000000 "$GOOD"
expect bad-dbt-threshold 2 'bad DBT threshold' "$RVX" run --dbt-threshold=-1 "$GOOD"
expect bad-dbt-threshold-text 2 'bad DBT threshold' "$RVX" run --dbt-threshold=many "$GOOD"
expect missing-program 2 'missing program' "$RVX" run
expect unknown-command 2 "unknown command" "$RVX" frobnicate
expect disas-not-elf 1 'not an ELF file' "$RVX" disas "$tmp/text"

# Corruption fuzzing: flip random bytes in the headers and in the code, run briefly.
size=$(stat -c %s "$GOOD")
for seed in $(seq 1 60); do
    cp "$GOOD" "$tmp/fuzz"
    RANDOM=$seed
    for _ in 1 2 3 4 5 6 7 8; do
        if ((seed % 2)); then off=$((RANDOM % 256)); else off=$(((RANDOM * 32768 + RANDOM) % size)); fi
        printf "\\x$(printf %02x $((RANDOM % 256)))" | dd of="$tmp/fuzz" bs=1 seek=$off conv=notrunc status=none
    done
    # --strace: a guest that kills itself (abort) dies silently, as on Linux; its
    # kill call in the trace tells that from a host crash of rvx.
    timeout 10 "$RVX" run --strace "$tmp/fuzz" >/dev/null 2>"$tmp/err" </dev/null
    rc=$?
    if ((rc >= 128 && rc != 124)) &&
        ! grep -qE '^rvx: guest|^[0-9]+ (kill|tkill|tgkill)\(' "$tmp/err"; then
        echo "FAIL fuzz seed $seed: status $rc without a guest signal (host crash?)"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
done
echo "$pass passed, $fail failed"
((fail == 0))
