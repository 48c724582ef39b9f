/* Unit tests for frontend/disas.c: the recorded objdump 2.40 table (disas_cases.inc),
 * hand-picked alias rules, the stateful "# addr" comments, extension gating, CSR names
 * by privileged-spec version, and buffer truncation.
 * Whole-binary comparisons with the real objdump live in disas-objdump.sh. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "frontend/disas.h"
#include "frontend/rv_insn.h"

enum { DISAS_RV64GC, DISAS_ZB };

typedef struct DisasCase {
    int set;
    uint64_t pc;
    uint32_t raw;
    int len;
    const char *text;
} DisasCase;

static const DisasCase cases[] = {
#define CASE(set, pc, raw, len, text) {set, pc, raw, len, text},
#include "tests/frontend/disas_cases.inc"
#undef CASE
};

static void print_0x(void *opaque, uint64_t addr, char *buf, size_t size)
{
    (void)opaque;
    snprintf(buf, size, "0x%" PRIx64, addr);
}

static const char *disas_with(RvDisasCtx *ctx, uint32_t raw, uint64_t pc)
{
    static char buf[128];
    RvInsn insn;
    rv_decode(raw, &insn);
    rv_disas_ex(ctx, &insn, pc, buf, sizeof buf);
    return buf;
}

static const char *disas1(uint32_t raw, uint64_t pc)
{
    static char buf[128];
    RvInsn insn;
    rv_decode(raw, &insn);
    rv_disas(&insn, pc, buf, sizeof buf);
    return buf;
}

Test(disas, objdump_recorded_table)
{
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const DisasCase *c = &cases[i];
        RvDisasCtx ctx;
        rv_disas_ctx_init(&ctx);
        if (c->set == DISAS_RV64GC) {
            ctx.ext = 0;
            ctx.print_addr = print_0x;
        } else {
            ctx.ext = rv_disas_ext_from_arch(
                "rv64i2p0_m2p0_a2p0_f2p0_d2p0_c2p0_zicbom1p0_zicboz1p0_zihintpause2p0_zmmul1p0_"
                "zba1p0_zbb1p0_zbc1p0_zbs1p0");
        }
        RvInsn insn;
        int len = rv_decode(c->raw, &insn);
        cr_expect_eq(len, c->len, "length of %08" PRIx32, c->raw);
        char buf[128];
        rv_disas_ex(&ctx, &insn, c->pc, buf, sizeof buf);
        if (strcmp(buf, c->text) != 0 && failures++ < 20)
            cr_log_error("%08" PRIx32 " at %" PRIx64 ": got \"%s\", objdump \"%s\"", c->raw, c->pc, buf,
                         c->text);
    }
    cr_assert_eq(failures, 0, "%d of %zu recorded cases differ", failures, sizeof cases / sizeof cases[0]);
}

typedef struct Alias {
    uint32_t raw;
    uint64_t pc;
    const char *text;
} Alias;

/* The rules called out in the design brief, with encodings from riscv64-linux-gnu-as. */
static const Alias aliases[] = {
    {0x1141, 0, "add\tsp,sp,-16"},          /* c.addi16sp: objdump 2.40 prints add */
    {0xff010113, 0, "add\tsp,sp,-16"},      /* addi: the "add d,s,imm" alias wins in 2.40 */
    {0x60a2, 0, "ld\tra,8(sp)"},            /* c.ldsp */
    {0x00813083, 0, "ld\tra,8(sp)"},
    {0x8082, 0, "ret"},
    {0x00008067, 0, "ret"},
    {0x4501, 0, "li\ta0,0"},                /* c.li */
    {0x00000513, 0, "li\ta0,0"},
    {0x8526, 0, "mv\ta0,s1"},               /* c.mv */
    {0x00048513, 0, "mv\ta0,s1"},           /* addi a0,s1,0 */
    {0x00b00533, 0, "add\ta0,zero,a1"},     /* 32-bit add never prints as mv */
    {0x67c9, 0, "lui\ta5,0x12"},            /* c.lui */
    {0x000127b7, 0, "lui\ta5,0x12"},
    {0xc119, 0x1000, "beqz\ta0,1006"},      /* c.beqz: absolute hex target, no 0x */
    {0x00050463, 0x1000, "beqz\ta0,1008"},
    {0xa001, 0x2000, "j\t2000"},            /* c.j */
    {0xff5ff06f, 0x2000, "j\t1ff4"},
    {0x008000ef, 0x100, "jal\t108"},
    {0x008005ef, 0x100, "jal\ta1,108"},
    {0x8502, 0, "jr\ta0"},                  /* c.jr */
    {0x9502, 0, "jalr\ta0"},                /* c.jalr */
    {0x000500e7, 0, "jalr\ta0"},
    {0x008505e7, 0, "jalr\ta1,8(a0)"},
    {0x00850067, 0, "jr\t8(a0)"},
    {0x00102573, 0, "frflags\ta0"},
    {0x00302573, 0, "frcsr\ta0"},
    {0x10002573, 0, "csrr\ta0,sstatus"},
    {0x10051073, 0, "csrw\tsstatus,a0"},
    {0x0031d5f3, 0, "csrrw\ta1,fcsr,3"},    /* csrrwi prints as csrrw */
    {0x0011d073, 0, "fsflagsi\tzero,3"},
    {0xc0002573, 0, "rdcycle\ta0"},
    {0xc0001073, 0, "unimp"},
    {0x0000, 0, "unimp"},
    {0x0330000f, 0, "fence\trw,rw"},
    {0x0ff0000f, 0, "fence"},
    {0x8330000f, 0, "fence.tso"},
    {0x0000100f, 0, "fence.i"},
    {0xc2051553, 0, "fcvt.w.d\ta0,fa0,rtz"},
    {0xc2057553, 0, "fcvt.w.d\ta0,fa0"},    /* rm = dyn is not printed */
    {0xd2050553, 0, "fcvt.d.w\tfa0,a0"},
    {0xd2051553, 0, ".4byte\t0xd2051553"},  /* objdump 2.40 knows fcvt.d.w only with rm = 0 */
    {0x02c5d553, 0, "fadd.d\tfa0,fa1,fa2,unknown"}, /* reserved rm: still printed */
    {0x0005851b, 0, "sext.w\ta0,a1"},
    {0x2501, 0, "sext.w\ta0,a0"},           /* c.addiw a0,0 */
    {0x2505, 0, "addw\ta0,a0,1"},
    {0x40b0053b, 0, "negw\ta0,a1"},
    {0x40b00533, 0, "neg\ta0,a1"},
    {0x00b03533, 0, "snez\ta0,a1"},
    {0x0015b513, 0, "seqz\ta0,a1"},
    {0xfff5c513, 0, "not\ta0,a1"},
    {0x0ff57513, 0, "zext.b\ta0,a0"},
    {0x00351513, 0, "sll\ta0,a0,0x3"},      /* slli */
    {0x050e, 0, "sll\ta0,a0,0x3"},          /* c.slli */
    {0x22b58553, 0, "fmv.d\tfa0,fa1"},
    {0x20b59553, 0, "fneg.s\tfa0,fa1"},
    {0x22b5a553, 0, "fabs.d\tfa0,fa1"},
    {0x1605a52f, 0, "lr.w.aqrl\ta0,(a1)"},
    {0x1ac5a52f, 0, "sc.w.rl\ta0,a2,(a1)"},
    {0x04c5b52f, 0, "amoadd.d.aq\ta0,a2,(a1)"},
    {0x12b50073, 0, "sfence.vma\ta0,a1"},
    {0x00000013, 0, "nop"},
    {0x0001, 0, "nop"},
    {0x4015, 0, "c.li\tzero,5"},            /* hints print under their c. names */
    {0x802a, 0, "c.mv\tzero,a0"},
    {0x0002, 0, "c.slli64\tzero"},
    {0x6101, 0, "add\tsp,sp,0"},            /* reserved c.addi16sp 0, objdump prints it */
    {0x8002, 0, ".2byte\t0x8002"},          /* c.jr x0: reserved */
    {0x0ec5d533, 0, "czero.eqz\ta0,a1,a2"}, /* beyond 2.40: rv_disas knows Zicond */
    {0x60051513, 0, "clz\ta0,a0"},
    {0x0805053b, 0, "zext.w\ta0,a0"},
    {0x60355513, 0, "ror\ta0,a0,0x3"},      /* rori */
    {0x48351513, 0, "bclr\ta0,a0,0x3"},     /* bclri */
    {0x0100000f, 0, "pause"},
    {0x0005200f, 0, "cbo.inval\t(a0)"},
};

Test(disas, alias_rules)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        cr_expect_str_eq(disas1(aliases[i].raw, aliases[i].pc), aliases[i].text, "encoding %08" PRIx32,
                         aliases[i].raw);
}

Test(disas, extension_gating_follows_objdump)
{
    RvDisasCtx ctx;
    rv_disas_ctx_init(&ctx);
    ctx.ext = rv_disas_ext_from_arch("rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0_zmmul1p0");
    cr_expect_eq(ctx.ext, 0u);
    cr_expect_str_eq(disas_with(&ctx, 0x60051513, 0), ".4byte\t0x60051513");  /* clz */
    cr_expect_str_eq(disas_with(&ctx, 0x0ec5d533, 0), ".4byte\t0xec5d533");   /* czero.eqz */
    cr_expect_str_eq(disas_with(&ctx, 0x0100000f, 0), "fence\tw,unknown");     /* pause */
    cr_expect_str_eq(disas_with(&ctx, 0x0005200f, 0), ".4byte\t0x5200f");     /* cbo.inval */
    cr_expect_eq(rv_disas_ext_from_arch("rv64gc_zba1p0_zbb1p0_zihintpause2p0"),
                 RV_DISAS_EXT_ZBA | RV_DISAS_EXT_ZBB | RV_DISAS_EXT_ZIHINTPAUSE);
    cr_expect_eq(rv_disas_ext_from_arch("rv64i2p1_zicond1p0"), 0u); /* 2.40 has no Zicond */
}

Test(disas, address_comments_are_stateful)
{
    RvDisasCtx ctx;
    rv_disas_ctx_init(&ctx);
    ctx.track_addr = true;
    /* lui a0,0x12 ; addi a0,a0,8 -> # 12008; the pair is consumed once */
    cr_expect_str_eq(disas_with(&ctx, 0x00012537, 0x1000), "lui\ta0,0x12");
    cr_expect_str_eq(disas_with(&ctx, 0x00850513, 0x1004), "add\ta0,a0,8 # 12008");
    cr_expect(ctx.has_comment);
    cr_expect_eq(ctx.comment_addr, 0x12008u);
    cr_expect_str_eq(disas_with(&ctx, 0x00850513, 0x1008), "add\ta0,a0,8");
    /* auipc t3,0x100 ; ld t3,-688(t3) at 0x267c0 (libc's PLT) */
    cr_expect_str_eq(disas_with(&ctx, 0x00100e17, 0x267c0), "auipc\tt3,0x100");
    cr_expect_str_eq(disas_with(&ctx, 0xd50e3e03, 0x267c4), "ld\tt3,-688(t3) # 126510");
    /* tp- and zero-relative accesses always get a comment */
    cr_expect_str_eq(disas_with(&ctx, 0x9a023683, 0), "ld\ta3,-1632(tp) # fffffffffffff9a0");
    /* addiw sign-extends the 32-bit result: lui a5,0x8 ; addw a5,a5,-2048 */
    cr_expect_str_eq(disas_with(&ctx, 0x000087b7, 0), "lui\ta5,0x8");
    cr_expect_str_eq(disas_with(&ctx, 0x8007879b, 4), "addw\ta5,a5,-2048 # 7800");
    /* c.lui feeds c.addi too */
    cr_expect_str_eq(disas_with(&ctx, 0x6785, 0), "lui\ta5,0x1");
    cr_expect_str_eq(disas_with(&ctx, 0x07a1, 2), "add\ta5,a5,8 # 1008");
    /* stateless rv_disas never comments */
    cr_expect_str_eq(disas1(0x9a023683, 0), "ld\ta3,-1632(tp)");
}

Test(disas, branch_target_reported)
{
    RvDisasCtx ctx;
    rv_disas_ctx_init(&ctx);
    disas_with(&ctx, 0x00050463, 0x1000);
    cr_expect(ctx.has_target);
    cr_expect_eq(ctx.target, 0x1008u);
    disas_with(&ctx, 0x00850513, 0);
    cr_expect(!ctx.has_target);
}

Test(disas, csr_names_follow_priv_spec)
{
    cr_expect_str_eq(rv_disas_csr_name(0x000, RV_DISAS_PRIV_1_11), "ustatus");
    cr_expect_null(rv_disas_csr_name(0x000, RV_DISAS_PRIV_1_12));
    cr_expect_str_eq(rv_disas_csr_name(0x180, RV_DISAS_PRIV_1_9), "sptbr");
    cr_expect_str_eq(rv_disas_csr_name(0x180, RV_DISAS_PRIV_1_12), "satp");
    cr_expect_str_eq(rv_disas_csr_name(0x10a, RV_DISAS_PRIV_1_12), "senvcfg");
    cr_expect_null(rv_disas_csr_name(0x7c0, RV_DISAS_PRIV_1_12));
    RvDisasCtx ctx;
    rv_disas_ctx_init(&ctx);
    ctx.priv = RV_DISAS_PRIV_1_11;
    cr_expect_str_eq(disas_with(&ctx, 0x00002573, 0), "csrr\ta0,ustatus");
    cr_expect_str_eq(disas1(0x00002573, 0), "csrr\ta0,0x0");
}

Test(disas, truncates_like_snprintf)
{
    RvInsn insn;
    rv_decode(0x00813083, &insn);
    char buf[6];
    int n = rv_disas(&insn, 0, buf, sizeof buf);
    cr_expect_eq(n, (int)strlen("ld\tra,8(sp)"));
    cr_expect_str_eq(buf, "ld\tra");
    cr_expect_eq(rv_disas(&insn, 0, NULL, 0), n);
}
