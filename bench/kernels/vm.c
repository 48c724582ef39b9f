/* Bench kernel: a small register bytecode interpreter (switch dispatch, the
 * indirect-branch-heavy case that interpreters such as Lua and Python spend their
 * time in). The bytecode program sums the Collatz step counts of 1..n and runs a
 * sieve over VM memory. Argument: n / 1000 (thousands of Collatz start values). */
#include <string.h>

#include "common.h"

enum Op { LOADI, MOV, ADD, ADDI, SUB, MUL, SHR, AND, LOAD, STORE, JMP, JZ, JNZ, JLT, HALT };
typedef struct Insn { uint8_t op, a, b, c; int32_t imm; } Insn;

static int64_t mem[1 << 16];

static int64_t run(const Insn *code, int64_t *r)
{
    for (const Insn *pc = code;;) {
        const Insn *i = pc++;
        switch (i->op) {
        case LOADI: r[i->a] = i->imm; break;
        case MOV:   r[i->a] = r[i->b]; break;
        case ADD:   r[i->a] = r[i->b] + r[i->c]; break;
        case ADDI:  r[i->a] = r[i->b] + i->imm; break;
        case SUB:   r[i->a] = r[i->b] - r[i->c]; break;
        case MUL:   r[i->a] = r[i->b] * r[i->c]; break;
        case SHR:   r[i->a] = (int64_t)((uint64_t)r[i->b] >> i->imm); break;
        case AND:   r[i->a] = r[i->b] & i->imm; break;
        case LOAD:  r[i->a] = mem[(r[i->b] + i->imm) & 0xffff]; break;
        case STORE: mem[(r[i->b] + i->imm) & 0xffff] = r[i->a]; break;
        case JMP:   pc = code + i->imm; break;
        case JZ:    if (!r[i->a]) pc = code + i->imm; break;
        case JNZ:   if (r[i->a]) pc = code + i->imm; break;
        case JLT:   if (r[i->a] < r[i->b]) pc = code + i->imm; break;
        case HALT:  return r[i->a];
        }
    }
}

/* Sum of Collatz step counts for 1..r1-1. r2 = i, r3 = x, r4 = total, r6 = 1, r7 = 3. */
static const Insn collatz[] = {
    /* 0 */ {LOADI, 2, 0, 0, 1}, {LOADI, 4, 0, 0, 0}, {LOADI, 6, 0, 0, 1}, {LOADI, 7, 0, 0, 3},
    /* 4: next start */ {MOV, 3, 2, 0, 0},
    /* 5: step */ {SUB, 5, 3, 6, 0}, {JZ, 5, 0, 0, 15}, {ADDI, 4, 4, 0, 1},
    /* 8 */ {AND, 5, 3, 0, 1}, {JNZ, 5, 0, 0, 12},
    /* 10: even */ {SHR, 3, 3, 0, 1}, {JMP, 0, 0, 0, 5},
    /* 12: odd */ {MUL, 3, 3, 7, 0}, {ADDI, 3, 3, 0, 1}, {JMP, 0, 0, 0, 5},
    /* 15 */ {ADDI, 2, 2, 0, 1}, {JLT, 2, 1, 0, 4},
    /* 17 */ {HALT, 4, 0, 0, 0},
};

/* Sieve of Eratosthenes over mem[0..r1): r2 = i, r3 = j, r4 = primes found, r6 = 1. */
static const Insn sieve[] = {
    /* 0 */ {LOADI, 2, 0, 0, 2}, {LOADI, 4, 0, 0, 0}, {LOADI, 6, 0, 0, 1},
    /* 3 */ {LOAD, 5, 2, 0, 0}, {JNZ, 5, 0, 0, 12},
    /* 5: prime */ {ADDI, 4, 4, 0, 1}, {ADD, 3, 2, 2, 0},
    /* 7: mark multiples */ {JLT, 3, 1, 0, 9}, {JMP, 0, 0, 0, 12},
    /* 9 */ {STORE, 6, 3, 0, 0}, {ADD, 3, 3, 2, 0}, {JMP, 0, 0, 0, 7},
    /* 12 */ {ADDI, 2, 2, 0, 1}, {JLT, 2, 1, 0, 3},
    /* 14 */ {HALT, 4, 0, 0, 0},
};

int main(int argc, char **argv)
{
    long k = bench_iterations(argc, argv, 180);
    int64_t r[16] = {0};
    r[1] = k * 1000 + 1;
    uint64_t sum = (uint64_t)run(collatz, r);
    for (int rep = 0; rep < 1 + k / 20; rep++) {
        memset(mem, 0, sizeof mem);
        int64_t rs[16] = {0};
        rs[1] = 60000 - rep;
        sum = bench_mix(sum, (uint64_t)run(sieve, rs));
    }
    return bench_report("vm", sum);
}
