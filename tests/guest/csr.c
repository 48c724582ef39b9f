/* csr.c — Zicsr on the user-visible CSRs: csrrw/csrrs/csrrc and csrrwi/csrrsi/csrrci
 * on fflags (0x001), frm (0x002) and fcsr (0x003), the views' masking (fflags 5 bits,
 * frm 3 bits, fcsr 8 bits; reserved fcsr bits read as zero), rs1=x0 / rd=x0 forms
 * (pure read, pure write), fflags accrual across operations read back through
 * frflags/fsflags/fscsr, and the counters cycle/time/instret (Zicntr), which are only
 * checked to be readable and non-decreasing since their values are host-dependent. */
#include "rt.h"

#define CSR_RW(insn, csr, v)                                                           \
    ({                                                                                 \
        u64 _o;                                                                        \
        __asm__ volatile(insn " %0," csr ",%1" : "=r"(_o) : "r"((u64)(v)));            \
        _o;                                                                            \
    })
#define CSR_RI(insn, csr, imm)                                                         \
    ({                                                                                 \
        u64 _o;                                                                        \
        __asm__ volatile(insn " %0," csr ",%1" : "=r"(_o) : "i"(imm));                 \
        _o;                                                                            \
    })
#define CSR_READ(csr)                                                                  \
    ({                                                                                 \
        u64 _o;                                                                        \
        __asm__ volatile("csrrs %0," csr ",x0" : "=r"(_o));                            \
        _o;                                                                            \
    })

static void fcsr_tests(void)
{
    group("csr register forms");
    CSR_RW("csrrw", "fcsr", 0);
    check("csrrw fcsr <- 0xff, old", CSR_RW("csrrw", "fcsr", 0xff), 0);
    check("  fcsr", CSR_READ("fcsr"), 0xff);
    check("  frm view", CSR_READ("frm"), 7);
    check("  fflags view", CSR_READ("fflags"), 0x1f);
    check("csrrw fcsr <- ~0 (reserved bits read 0)", CSR_RW("csrrw", "fcsr", ~0ull), 0xff);
    check("  fcsr", CSR_READ("fcsr"), 0xff);
    check("csrrc fflags clear 0x15", CSR_RW("csrrc", "fflags", 0x15), 0x1f);
    check("  fflags", CSR_READ("fflags"), 0x0a);
    check("  fcsr", CSR_READ("fcsr"), 0xea);
    check("csrrs fflags set 0x01", CSR_RW("csrrs", "fflags", 0x01), 0x0a);
    check("  fflags", CSR_READ("fflags"), 0x0b);
    check("csrrw fflags <- 0xff (masked)", CSR_RW("csrrw", "fflags", 0xff), 0x0b);
    check("  fflags", CSR_READ("fflags"), 0x1f);
    check("  frm untouched", CSR_READ("frm"), 7);
    check("csrrw frm <- 0x2a (masked)", CSR_RW("csrrw", "frm", 0x2a), 7);
    check("  frm", CSR_READ("frm"), 2);
    check("  fcsr", CSR_READ("fcsr"), 0x5f);
    check("csrrc frm clear 2", CSR_RW("csrrc", "frm", 2), 2);
    check("  frm", CSR_READ("frm"), 0);
    check("csrrs frm set 4", CSR_RW("csrrs", "frm", 4), 0);
    check("  fcsr", CSR_READ("fcsr"), 0x9f);
    check("csrrc fcsr clear 0xf0", CSR_RW("csrrc", "fcsr", 0xf0), 0x9f);
    check("  fcsr", CSR_READ("fcsr"), 0x0f);
    check("csrrs fcsr set 0x160", CSR_RW("csrrs", "fcsr", 0x160), 0x0f);
    check("  fcsr", CSR_READ("fcsr"), 0x6f);
    /* csrrs/csrrc with rs1=x0 only read; csrrw with rd=x0 only writes. */
    __asm__ volatile("csrrc x0, fcsr, x0");
    check("csrrc x0 is a pure read", CSR_READ("fcsr"), 0x6f);
    __asm__ volatile("csrrw x0, fcsr, %0" : : "r"(0x33ull));
    check("csrrw rd=x0 writes", CSR_READ("fcsr"), 0x33);

    group("csr immediate forms");
    check("csrrwi fflags 0x1f", CSR_RI("csrrwi", "fflags", 0x1f), 0x13);
    check("  fcsr", CSR_READ("fcsr"), 0x3f);
    check("csrrci fflags 0x03", CSR_RI("csrrci", "fflags", 0x03), 0x1f);
    check("  fflags", CSR_READ("fflags"), 0x1c);
    check("csrrsi fflags 0x01", CSR_RI("csrrsi", "fflags", 0x01), 0x1c);
    check("  fflags", CSR_READ("fflags"), 0x1d);
    check("csrrwi frm 3", CSR_RI("csrrwi", "frm", 3), 1);
    check("csrrsi frm 4", CSR_RI("csrrsi", "frm", 4), 3);
    check("csrrci frm 1", CSR_RI("csrrci", "frm", 1), 7);
    check("  frm", CSR_READ("frm"), 6);
    check("csrrwi fcsr 0x1f", CSR_RI("csrrwi", "fcsr", 0x1f), 0xdd);
    check("csrrsi fcsr 0 (read)", CSR_RI("csrrsi", "fcsr", 0), 0x1f);
    check("csrrci fcsr 0x10", CSR_RI("csrrci", "fcsr", 0x10), 0x1f);
    check("  fcsr", CSR_READ("fcsr"), 0x0f);

    group("pseudo-instructions and fflags accrual");
    {
        u64 o;
        __asm__ volatile("fscsr %0, %1" : "=r"(o) : "r"(0x00ull));
        check("fscsr old", o, 0x0f);
        __asm__ volatile("fsrm %0, %1" : "=r"(o) : "r"(1ull));
        check("fsrm old", o, 0);
        __asm__ volatile("frrm %0" : "=r"(o));
        check("frrm", o, 1);
        __asm__ volatile("fsrmi %0, 0" : "=r"(o));
        check("fsrmi old", o, 1);
        /* Flags accrue (OR) across operations until cleared. */
        __asm__ volatile("fsflags x0\n"
                         "li t0, 1\n fcvt.s.w ft0, t0\n li t0, 3\n fcvt.s.w ft1, t0\n"
                         "fdiv.s ft2, ft0, ft1\n" /* NX */
                         "frflags %0" : "=r"(o) : : "t0", "ft0", "ft1", "ft2");
        check("frflags after 1/3", o, 0x01);
        __asm__ volatile("fmv.w.x ft1, x0\n fdiv.s ft2, ft0, ft1\n frflags %0"
                         : "=r"(o) : : "ft1", "ft2");
        check("frflags after 1/0 (accrued)", o, 0x09);
        __asm__ volatile("fsub.s ft2, ft1, ft1\n frflags %0" : "=r"(o) : : "ft2");
        check("exact op leaves flags", o, 0x09);
        __asm__ volatile("fmv.w.x ft3, %1\n fsqrt.s ft2, ft3\n frflags %0"
                         : "=r"(o) : "r"(0xbf800000ull) : "ft2", "ft3");
        check("frflags after sqrt(-1)", o, 0x19);
        __asm__ volatile("frcsr %0" : "=r"(o));
        check("frcsr", o, 0x19);
        __asm__ volatile("fsflags %0, %1" : "=r"(o) : "r"(0x02ull));
        check("fsflags old", o, 0x19);
        __asm__ volatile("fsflagsi %0, 0x04" : "=r"(o));
        check("fsflagsi old", o, 0x02);
        __asm__ volatile("frflags %0" : "=r"(o));
        check("frflags", o, 0x04);
        __asm__ volatile("fscsr x0");
    }
}

static void counters(void)
{
    group("counters");
    u64 c0, t0, i0, c1, t1, i1, c2, i2;
    __asm__ volatile("rdcycle %0\n rdtime %1\n rdinstret %2" : "=r"(c0), "=r"(t0), "=r"(i0));
    volatile u64 sink = 0;
    for (int k = 0; k < 10000; k++)
        sink += (u64)k;
    __asm__ volatile("rdcycle %0\n rdtime %1\n rdinstret %2" : "=r"(c1), "=r"(t1), "=r"(i1));
    /* The same counters through the plain csrrs encoding (cycle=0xc00 ...). */
    __asm__ volatile("csrrs %0, 0xc00, x0\n csrrs %1, 0xc02, x0" : "=r"(c2), "=r"(i2));
    check("cycle non-decreasing", c1 >= c0 && c2 >= c1, 1);
    check("time non-decreasing", t1 >= t0, 1);
    check("instret non-decreasing", i1 >= i0 && i2 >= i1, 1);
    check("loop ran", sink, 49995000);
}

int main(void)
{
    fcsr_tests();
    counters();
    return 0;
}
