/* zicond.c — Zicond: czero.eqz (rd = rs2 == 0 ? 0 : rs1) and czero.nez
 * (rd = rs2 != 0 ? 0 : rs1), including the full 64-bit condition (a value with only
 * high bits set is non-zero) and rd aliasing a source.
 *
 * Why a separate program: binutils 2.40 does not know Zicond (so .insn encodes it:
 * OP opcode 0x33, funct7 0b0000111, funct3 5 = eqz, 7 = nez) and qemu 7.2 lacks it
 * (SIGILL). Built with -DZICOND_REF the same checks run a portable and/neg sequence in
 * place of czero.*, which gives qemu a reference run whose stdout must equal rvx's run
 * of the real program. */
#include "rt.h"

#ifndef ZICOND_REF
#define CZERO_EQZ(a, c)                                                                \
    ({                                                                                 \
        u64 _d;                                                                        \
        __asm__ volatile(".insn r 0x33, 5, 7, %0, %1, %2" : "=r"(_d) : "r"((u64)(a)), "r"((u64)(c))); \
        _d;                                                                            \
    })
#define CZERO_NEZ(a, c)                                                                \
    ({                                                                                 \
        u64 _d;                                                                        \
        __asm__ volatile(".insn r 0x33, 7, 7, %0, %1, %2" : "=r"(_d) : "r"((u64)(a)), "r"((u64)(c))); \
        _d;                                                                            \
    })
#else
/* Reference: mask = -(c != 0) computed with snez/neg, then and. */
#define CZERO_EQZ(a, c)                                                                \
    ({                                                                                 \
        u64 _d;                                                                        \
        __asm__ volatile("snez %0,%2\n neg %0,%0\n and %0,%0,%1" : "=&r"(_d) : "r"((u64)(a)), "r"((u64)(c))); \
        _d;                                                                            \
    })
#define CZERO_NEZ(a, c)                                                                \
    ({                                                                                 \
        u64 _d;                                                                        \
        __asm__ volatile("seqz %0,%2\n neg %0,%0\n and %0,%0,%1" : "=&r"(_d) : "r"((u64)(a)), "r"((u64)(c))); \
        _d;                                                                            \
    })
#endif

int main(void)
{
    group("zicond");
    check("czero.eqz c=0", CZERO_EQZ(0x1234, 0), 0);
    check("czero.eqz c=1", CZERO_EQZ(0x1234, 1), 0x1234);
    check("czero.eqz c=-1", CZERO_EQZ(0x8000000000000000ull, -1), 0x8000000000000000ull);
    check("czero.eqz c=2^63 (high only)", CZERO_EQZ(7, 0x8000000000000000ull), 7);
    check("czero.eqz c=2^32", CZERO_EQZ(7, 0x100000000ull), 7);
    check("czero.nez c=0", CZERO_NEZ(0x1234, 0), 0x1234);
    check("czero.nez c=1", CZERO_NEZ(0x1234, 1), 0);
    check("czero.nez c=2^32", CZERO_NEZ(0xffffffffffffffffull, 0x100000000ull), 0);
    check("czero.nez c=0 all ones", CZERO_NEZ(0xffffffffffffffffull, 0), 0xffffffffffffffffull);
    /* Branch-free select: c ? a : b == czero.eqz(a,c) | czero.nez(b,c). */
    check("select c!=0", CZERO_EQZ(11, 5) | CZERO_NEZ(22, 5), 11);
    check("select c==0", CZERO_EQZ(11, 0) | CZERO_NEZ(22, 0), 22);
#ifndef ZICOND_REF
    {
        u64 v = 0x55, c = 0;
        /* rd == rs1 and rd == rs2 aliasing. */
        __asm__ volatile(".insn r 0x33, 7, 7, %0, %0, %1" : "+r"(v) : "r"(c));
        check("czero.nez rd=rs1", v, 0x55);
        c = 3;
        __asm__ volatile(".insn r 0x33, 5, 7, %0, %1, %0" : "+r"(c) : "r"(v));
        check("czero.eqz rd=rs2", c, 0x55);
    }
#else
    check("czero.nez rd=rs1", 0x55, 0x55);
    check("czero.eqz rd=rs2", 0x55, 0x55);
#endif
    return 0;
}
