/* Differential fuzzer: random instruction sequences from the instruction table, with
 * random initial registers, run on the interpreter and on the DBT; the architectural
 * results (x, f, pc, instret, fcsr, mstatus, the exception) and all of memory must be
 * equal. Usage: dbt-fuzz [SECONDS [SEED]] (default 3 s, seed from the clock).
 *
 * Programs are straight-line code with forward branches and jumps only (so they
 * end), padded with ecalls; a jalr goes forward too, through a register no earlier
 * instruction writes, whose initial value is picked for it. Loads, stores and atomics address a data page through
 * x8, which no instruction may overwrite (its random 12-bit offsets stay inside the
 * data region); compressed instructions use any base and may fault, which checks
 * precise exceptions. Memory is a flat region [BASE, BASE + SIZE) behind an MmuOps
 * of our own; outside it every access faults.
 * Half the programs are mostly F/D instructions, on register values (fp_value) and
 * fflags/frm chosen so the DBT's inline host-FPU cases and every way out of them
 * (rounding mode, inexact not yet accrued, tiny/huge/NaN results, bad NaN boxes) occur. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "exec/exec.h"
#include "frontend/disas.h"
#include "frontend/interp.h"
#include "softmmu/mem.h"

enum {
    BASE = 0x10000, SIZE = 0x12000, CODE = 0x10000, CODE_SIZE = 0x1000,
    DATA = 0x20000, DATA_PTR = 0x20800, MAX_INSNS = 48,
};

typedef struct Guest {
    Hart hart;
    uint8_t mem[SIZE];
} Guest;

static Guest g_interp, g_dbt;

static int translate(Hart *h, uint64_t vaddr, MemAccess access, MemTranslation *t)
{
    Guest *g = (Guest *)h;
    if (vaddr < BASE || vaddr >= BASE + SIZE)
        return (int)mem_fault_cause(access);
    t->addend = (uintptr_t)g->mem - BASE;
    t->paddr = vaddr;
    t->is_ram = true;
    t->tlb_ok = access != MEM_WRITE || !code_pages_contains(&h->code_pages, vaddr >> 12);
    return 0;
}
static bool no_io_read(Hart *h, uint64_t p, unsigned s, uint64_t *v) { return false; }
static bool no_io_write(Hart *h, uint64_t p, unsigned s, uint64_t v) { return false; }
static const MmuOps mmu = {.translate = translate, .io_read = no_io_read, .io_write = no_io_write};

static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint64_t interesting(void)
{
    static const uint64_t special[] = {
        0, 1, 2, UINT64_MAX, 0x8000000000000000ull, 0x7fffffffffffffffull, 0x80000000ull,
        0x7fffffff, 0xffffffff, 0xffffffff80000000ull, 31, 32, 63, 64,
        0xffffffff7fc00000ull, 0x7ff8000000000000ull, 0x3ff0000000000000ull,
        0xffffffff3f800000ull, 0x0000000000000001ull, 0x7ff0000000000000ull,
    };
    switch (rnd() % 4) {
    case 0: return special[rnd() % (sizeof special / sizeof special[0])];
    case 1: return rnd() % 4096 - 2048;
    case 2: return 0xffffffff00000000ull | (uint32_t)rnd(); /* a boxed single */
    default: return rnd();
    }
}

/* An FP register image: mostly numbers of moderate size (so results are normal, exact
 * or not), else exponents whose results overflow or underflow, subnormals, zeros,
 * infinities, NaNs, integers near the conversion limits or halfway between two, raw
 * bits; half are NaN-boxed singles (a few boxed badly). */
static uint64_t fp_value(void)
{
    static const double ints[] = {
        0.5, 1.5, 2.5, -0.5, -1.5, 4294967295.0, 4294967296.0, 2147483647.0, 2147483648.0,
        -2147483648.0, -2147483649.0, 9007199254740993.0, 9223372036854775807.0,
        18446744073709551615.0, -9223372036854775808.0, 16777217.0, 1e10, -1e10, 123.0,
    };
    bool single = rnd() % 2;
    unsigned ebits = single ? 8 : 11, mbits = single ? 23 : 52;
    uint64_t emax = (1u << ebits) - 1, bias = emax / 2, e;
    uint64_t m = rnd() & ((1ull << mbits) - 1);
    if (rnd() % 2)
        m &= ~0ull << (mbits - 3); /* few significant bits: exact sums and products */
    switch (rnd() % 10) {
    case 0: case 1: case 2: case 3:
        e = bias - 8 + rnd() % 16;
        break;
    case 4: { /* products or quotients of two of these leave the normal range */
        static const int64_t off[] = {1, 2, 3, -1, -2, -3};
        int64_t o = off[rnd() % 6];
        e = rnd() % 2 ? (uint64_t)(o > 0 ? o : (int64_t)emax + o) : bias / 2 + (uint64_t)o;
        if (rnd() % 2 && e < bias)
            e = bias + (bias - e);
        break;
    }
    case 5:
        e = 0; /* subnormal or zero */
        if (rnd() % 2)
            m = 0;
        break;
    case 6:
        e = emax; /* infinity or a NaN, quiet or signalling */
        m = rnd() % 3 == 0 ? 0 : m;
        break;
    case 7: {
        double d = ints[rnd() % (sizeof ints / sizeof ints[0])];
        if (single) {
            float f = (float)d;
            uint32_t u;
            memcpy(&u, &f, 4);
            return 0xffffffff00000000ull | u;
        }
        uint64_t u;
        memcpy(&u, &d, 8);
        return u;
    }
    default:
        return interesting();
    }
    uint64_t v = (uint64_t)(rnd() % 2) << (ebits + mbits) | e << mbits | m;
    if (!single)
        return v;
    return (rnd() % 16 ? 0xffffffff00000000ull : rnd() << 32) | v;
}

/* Table entries a program may contain; fp_ops: the F and D ones. */
static RvOp ops[RV_OP_COUNT], fp_ops[RV_OP_COUNT];
static unsigned n_ops, n_fp_ops;
static bool fp_heavy; /* the program being generated is mostly F/D */

static void pick_ops(void)
{
    for (unsigned op = 1; op < RV_OP_COUNT; op++) {
        const RvInsnInfo *info = &rv_insn_info[op];
        if (info->format == RV_FMT_JALR)
            continue; /* a random target could loop: gen_jalr makes forward ones */
        ops[n_ops++] = (RvOp)op;
        if (info->ext == RV_EXT_F || info->ext == RV_EXT_D)
            fp_ops[n_fp_ops++] = (RvOp)op;
    }
}

static bool writes_x(RvFormat f)
{
    switch (f) {
    case RV_FMT_R: case RV_FMT_I: case RV_FMT_SHIFT: case RV_FMT_UNARY: case RV_FMT_LOAD:
    case RV_FMT_U: case RV_FMT_J: case RV_FMT_CSR: case RV_FMT_CSRI: case RV_FMT_AMO:
    case RV_FMT_LR: case RV_FMT_FCMP: case RV_FMT_F2X: case RV_FMT_F2X_RM:
        return true;
    default:
        return false;
    }
}

static bool uses_x8_base(RvFormat f)
{
    return f == RV_FMT_LOAD || f == RV_FMT_STORE || f == RV_FMT_AMO || f == RV_FMT_LR ||
           f == RV_FMT_CBO || f == RV_FMT_FLOAD || f == RV_FMT_FSTORE;
}

static uint32_t b_imm(int32_t off)
{
    uint32_t u = (uint32_t)off;
    return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | ((u >> 1) & 0xf) << 8 | ((u >> 11) & 1) << 7;
}

static uint32_t j_imm(int32_t off)
{
    uint32_t u = (uint32_t)off;
    return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 | ((u >> 11) & 1) << 20 | ((u >> 12) & 0xff) << 12;
}

/* A 32-bit instruction; a branch or jal goes `ahead` bytes forward. */
static uint32_t gen_insn(int32_t ahead)
{
    RvOp op = fp_heavy && rnd() % 4 ? fp_ops[rnd() % n_fp_ops] : ops[rnd() % n_ops];
    const RvInsnInfo *info = &rv_insn_info[op];
    uint32_t e = info->match | ((uint32_t)rnd() & ~info->mask);
    if (uses_x8_base(info->format))
        e = (e & ~(0x1fu << 15)) | (8u << 15);
    if (writes_x(info->format) && ((e >> 7) & 0x1f) == 8)
        e = (e & ~(0x1fu << 7)) | (9u << 7);
    if (info->format == RV_FMT_AMO || info->format == RV_FMT_LR)
        e = (e & ~(0x1fu << 15)) | (8u << 15);
    if (info->format == RV_FMT_BRANCH)
        e = (e & 0x01fff07fu) | b_imm(ahead);
    if (info->format == RV_FMT_J)
        e = (e & 0xfffu) | j_imm(ahead);
    bool has_rm = info->format == RV_FMT_FR_RM || info->format == RV_FMT_FR4 ||
                  info->format == RV_FMT_F2F_RM || info->format == RV_FMT_F2X_RM ||
                  info->format == RV_FMT_X2F_RM;
    if (has_rm && rnd() % 8 != 0) { /* mostly valid rounding modes (7 = dynamic) */
        static const uint32_t rms[] = {0, 0, 1, 2, 3, 4, 7, 7, 7, 7};
        e = (e & ~(7u << 12)) | rms[rnd() % 10] << 12;
    }
    if (info->format == RV_FMT_CSR || info->format == RV_FMT_CSRI) {
        static const uint16_t csrs[] = {0x001, 0x002, 0x003, 0x001, 0x002, 0x003, 0xc00, 0xc02, 0x300};
        e = (e & 0xfffffu) | (uint32_t)csrs[rnd() % (sizeof csrs / sizeof csrs[0])] << 20;
    }
    return e;
}

/* A compressed instruction that is not a control transfer, or 0. */
static uint16_t gen_rvc(void)
{
    for (int tries = 0; tries < 8; tries++) {
        uint16_t c = (uint16_t)rnd();
        if ((c & 3) == 3)
            continue;
        RvInsn d;
        rv_decode(c, &d);
        RvFormat f = rv_insn_info[d.op].format;
        if (d.op == RV_OP_ILLEGAL || f == RV_FMT_J || f == RV_FMT_JALR || f == RV_FMT_BRANCH)
            continue;
        if (writes_x(f) && d.rd == 8)
            continue;
        return c;
    }
    return 0;
}

/* The initial register values the jalrs of the program being generated need to land
 * on a later instruction. */
static struct {
    unsigned reg;
    uint64_t value;
} jalr_base[MAX_INSNS];
static unsigned n_jalr_bases;

/* jalr rd, imm(rs1) to `target`, rd x0 or ra, rs1 one of the registers no instruction
 * so far writes nor another jalr uses (*taken, which then has it too), given the value
 * that reaches the target; 0 if none is left. */
static uint32_t gen_jalr(uint64_t target, uint32_t *taken)
{
    unsigned rs1 = 1 + (unsigned)(rnd() % 31), rd = rnd() % 2 ? 0 : 1;
    for (unsigned k = 0; k < 31 && (*taken >> rs1 & 1); k++)
        rs1 = rs1 % 31 + 1;
    if (*taken >> rs1 & 1)
        return 0;
    *taken |= 1u << rs1;
    int32_t imm = (int32_t)(rnd() % 4096) - 2048;
    jalr_base[n_jalr_bases].reg = rs1;
    jalr_base[n_jalr_bases++].value = target - (uint64_t)(int64_t)imm;
    return (uint32_t)imm << 20 | rs1 << 15 | rd << 7 | 0x67;
}

/* Control transfers only go forward to instruction boundaries, so programs end. */
static size_t gen_program(uint8_t *code)
{
    /* x8 and x2 may be data pointers, ra a jalr's link: never a jalr's base */
    uint32_t written = 1u << 1 | 1u << 2 | 1u << 8;
    n_jalr_bases = 0;
    enum { PAD = 12 };
    unsigned n = 1 + (unsigned)(rnd() % MAX_INSNS);
    uint16_t rvc[MAX_INSNS];
    size_t start[MAX_INSNS + PAD + 1];
    size_t pos = 0;
    for (unsigned i = 0; i < n; i++) {
        rvc[i] = rnd() % 5 == 0 ? gen_rvc() : 0;
        start[i] = pos;
        pos += rvc[i] ? 2 : 4;
    }
    for (unsigned i = n; i <= n + PAD; i++)
        start[i] = pos + 4 * (i - n);
    for (unsigned i = 0; i < n; i++) {
        RvInsn d;
        if (rvc[i]) {
            memcpy(code + start[i], &rvc[i], 2);
            rv_decode(rvc[i], &d);
        } else {
            unsigned to = i + 1 + (unsigned)(rnd() % 8);
            uint32_t e = rnd() % 16 == 0 ? gen_jalr(CODE + start[to], &written) : 0;
            if (!e)
                e = gen_insn((int32_t)(start[to] - start[i]));
            memcpy(code + start[i], &e, 4);
            rv_decode(e, &d);
        }
        if (writes_x(rv_insn_info[d.op].format))
            written |= 1u << d.rd;
    }
    for (unsigned i = 0; i < PAD; i++) { /* ecalls: forward jumps past the end land on one */
        uint32_t ecall = 0x00000073;
        memcpy(code + pos + 4 * i, &ecall, 4);
    }
    return pos + 4 * PAD;
}

static void setup(Guest *g, const Hart *init, const uint8_t *mem, ExecEngine engine)
{
    Hart *h = &g->hart;
    if (!h->exec) {
        h->mmu = &mmu;
        exec_init(h);
        ExecOptions o = {.engine = engine};
        if (!exec_set_options(h, &o))
            abort();
    }
    /* the architectural state only: the engine's caches stay attached */
    memcpy(h->x, init->x, sizeof h->x);
    memcpy(h->f, init->f, sizeof h->f);
    h->pc = init->pc;
    h->fflags = init->fflags;
    h->frm = init->frm;
    h->instret = init->instret;
    h->priv = init->priv;
    h->mstatus = init->mstatus;
    h->menvcfg = init->menvcfg;
    h->senvcfg = init->senvcfg;
    h->resv_addr = init->resv_addr;
    h->exc = (RvException){0, 0};
    memcpy(g->mem, mem, SIZE);
    exec_flush(h); /* the code changed behind the engine's back */
}

/* Stores may rewrite code ahead of the pc (compressed ones take any base), so a
 * program can loop: a watchdog stops a run after a second, and the case is skipped. */
static Hart *volatile watched;
static void watchdog(int sig)
{
    (void)sig;
    if (watched)
        watched->exit_request = 1;
}

static ExecStop run_bounded(Hart *h)
{
    struct itimerval t = {.it_value = {.tv_sec = 1}};
    h->exit_request = 0;
    watched = h;
    setitimer(ITIMER_REAL, &t, NULL);
    ExecStop stop = exec_run(h);
    t.it_value.tv_sec = 0;
    setitimer(ITIMER_REAL, &t, NULL);
    watched = NULL;
    return stop;
}

static void dump(const char *who, const Hart *h, ExecStop stop)
{
    printf("%s: stop %d cause %" PRIu64 " tval %" PRIx64 " pc %" PRIx64 " instret %" PRIu64
           " fflags %x frm %x mstatus %" PRIx64 "\n", who, stop, h->exc.cause, h->exc.tval, h->pc,
           h->instret, h->fflags, h->frm, h->mstatus);
    for (int i = 0; i < 32; i++)
        printf(" x%-2d %016" PRIx64 "%s", i, h->x[i], i % 4 == 3 ? "\n" : "");
    for (int i = 0; i < 32; i++)
        printf(" f%-2d %016" PRIx64 "%s", i, h->f[i], i % 4 == 3 ? "\n" : "");
}

static void disas_program(const uint8_t *code, size_t len)
{
    for (size_t pos = 0; pos < len;) {
        uint32_t bits;
        memcpy(&bits, code + pos, 4);
        RvInsn d;
        int n = rv_decode(bits, &d);
        char text[96];
        rv_disas(&d, CODE + pos, text, sizeof text);
        printf("  %05zx: %08x  %s\n", CODE + pos, n == 2 ? bits & 0xffff : bits, text);
        pos += (size_t)n;
    }
}

static bool same(const Hart *a, const Hart *b, ExecStop sa, ExecStop sb)
{
    if (sa != sb || a->pc != b->pc || a->instret != b->instret || a->fflags != b->fflags ||
        a->frm != b->frm || a->mstatus != b->mstatus)
        return false;
    if (sa == EXEC_STOP_EXCEPTION && (a->exc.cause != b->exc.cause || a->exc.tval != b->exc.tval))
        return false;
    for (int i = 1; i < 32; i++)
        if (a->x[i] != b->x[i])
            return false;
    return memcmp(a->f, b->f, sizeof a->f) == 0;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 3;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : (uint64_t)time(NULL);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("dbt-fuzz: %.0f s, seed %" PRIu64 "\n", seconds, seed);
    rng_state = seed | 1;
    pick_ops();
    static uint8_t mem[SIZE];
    static Hart init;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t runs = 0, insns = 0, looped = 0;
    struct sigaction sa = {.sa_handler = watchdog, .sa_flags = SA_RESTART};
    sigaction(SIGALRM, &sa, NULL);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 >= seconds)
            break;
        uint64_t case_seed = rng_state;
        memset(&init, 0, sizeof init);
        for (size_t i = 0; i < SIZE; i += 8) {
            uint64_t v = rnd();
            memcpy(mem + i, &v, 8);
        }
        fp_heavy = rnd() % 2;
        size_t len = gen_program(mem + (CODE - BASE));
        init.priv = RV_PRIV_U;
        init.resv_addr = RV_NO_RESERVATION;
        static const uint64_t fs[] = {0, 1ull << 13, 2ull << 13, 3ull << 13};
        init.mstatus = fs[rnd() % 8 == 0 ? 0 : 1 + rnd() % 3];
        init.menvcfg = init.senvcfg = 1ull << 7; /* CBZE */
        init.frm = (uint32_t)(rnd() % 2 ? 0 : rnd() % 8 < 7 ? rnd() % 5 : 5 + rnd() % 3);
        init.fflags = (uint32_t)(rnd() & 31);
        for (int i = 1; i < 32; i++)
            init.x[i] = interesting();
        for (unsigned k = 0; k < n_jalr_bases; k++)
            init.x[jalr_base[k].reg] = jalr_base[k].value;
        init.x[8] = DATA_PTR;
        if (rnd() % 2)
            init.x[2] = DATA_PTR; /* sp-relative compressed accesses */
        for (int i = 0; i < 32; i++)
            init.f[i] = fp_heavy || rnd() % 2 ? fp_value() : interesting();
        init.pc = CODE;
        init.instret = rnd() % 1000;

        setup(&g_interp, &init, mem, EXEC_ENGINE_INTERP);
        setup(&g_dbt, &init, mem, EXEC_ENGINE_DBT);
        ExecStop si = run_bounded(&g_interp.hart);
        ExecStop sd = run_bounded(&g_dbt.hart);
        runs++;
        if (si == EXEC_STOP_EXIT_REQUEST || sd == EXEC_STOP_EXIT_REQUEST) {
            looped++;
            continue;
        }
        insns += g_interp.hart.instret - init.instret;
        bool mem_same = memcmp(g_interp.mem, g_dbt.mem, SIZE) == 0;
        if (!same(&g_interp.hart, &g_dbt.hart, si, sd) || !mem_same) {
            printf("MISMATCH%s (case seed %" PRIu64 ", run %" PRIu64 ")\n",
                   mem_same ? "" : " in memory", case_seed, runs);
            disas_program(mem + (CODE - BASE), len);
            dump("interp", &g_interp.hart, si);
            dump("dbt", &g_dbt.hart, sd);
            return 1;
        }
    }
    printf("dbt-fuzz: %" PRIu64 " programs (%" PRIu64 " looping, skipped), %" PRIu64
           " instructions, no difference\n", runs, looped, insns);
    return 0;
}
