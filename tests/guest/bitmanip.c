/* bitmanip.c — every instruction of Zba, Zbb, Zbc and Zbs (RV64 forms included):
 * clz/ctz/cpop (and *w) of 0 and all-ones, *.uw zero-extension of rs1, rotates by
 * amounts >= width (taken modulo XLEN / 32), rev8, orc.b, clmul/clmulh/clmulr, the
 * single-bit ops with register indices >= 64 (modulo 64). Expected values follow the
 * bitmanip chapter of the unprivileged spec (clmul* cross-checked with a Python model). */
#include "rt.h"

#define M1 0xffffffffffffffffull
#define MIN64 0x8000000000000000ull

static void zba(void)
{
    group("zba");
    check("add.uw", RR("add.uw", 0xffffffff80000000ull, 1), 0x80000001ull);
    check("add.uw (zext.w)", RR("add.uw", 0x12345678abcdef01ull, 0), 0xabcdef01ull);
    check("zext.w", R1("zext.w", 0xfedcba9876543210ull), 0x76543210ull);
    check("sh1add", RR("sh1add", 0x8000000000000003ull, 5), 11);
    check("sh2add", RR("sh2add", 3, M1), 11);
    check("sh3add", RR("sh3add", 0x2000000000000001ull, 0), 8);
    check("sh1add.uw", RR("sh1add.uw", M1, 0), 0x1fffffffeull);
    check("sh2add.uw", RR("sh2add.uw", 0xffffffff80000000ull, 1), 0x200000001ull);
    check("sh3add.uw", RR("sh3add.uw", 0x100000001ull, 8), 16);
    check("slli.uw 4", RI("slli.uw", 0xffffffff80000000ull, 4), 0x800000000ull);
    check("slli.uw 63", RI("slli.uw", 0xffffffff00000001ull, 63), MIN64);
    check("slli.uw 0", RI("slli.uw", M1, 0), 0xffffffffull);
}

static void zbb(void)
{
    group("zbb logic/minmax/ext");
    check("andn", RR("andn", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull), 0xf000f000f000f000ull);
    check("orn", RR("orn", 0x1ull, 0xfffffffffffffff0ull), 0xfull);
    check("xnor", RR("xnor", 0xff00ull, 0x0ff0ull), 0xffffffffffff0f0full);
    check("max -1,1", RR("max", M1, 1), 1);
    check("maxu -1,1", RR("maxu", M1, 1), M1);
    check("min -1,1", RR("min", M1, 1), M1);
    check("minu -1,1", RR("minu", M1, 1), 1);
    check("min min64,max64", RR("min", MIN64, 0x7fffffffffffffffull), MIN64);
    check("sext.b 0x80", R1("sext.b", 0x1234567812345680ull), 0xffffffffffffff80ull);
    check("sext.b 0x7f", R1("sext.b", 0xff7full), 0x7f);
    check("sext.h 0x8000", R1("sext.h", 0x1238000ull), 0xffffffffffff8000ull);
    check("sext.h 0x7fff", R1("sext.h", 0xffff7fffull), 0x7fff);
    check("zext.h", R1("zext.h", 0xffffffffffff8123ull), 0x8123);

    group("zbb count");
    check("clz 0", R1("clz", 0), 64);
    check("clz 1", R1("clz", 1), 63);
    check("clz min", R1("clz", MIN64), 0);
    check("clz 2^32", R1("clz", 0x100000000ull), 31);
    check("clzw 0", R1("clzw", 0), 32);
    check("clzw ignores high", R1("clzw", 0xffffffff00000001ull), 31);
    check("clzw 0x80000000", R1("clzw", 0x80000000ull), 0);
    check("ctz 0", R1("ctz", 0), 64);
    check("ctz min", R1("ctz", MIN64), 63);
    check("ctz 0x18", R1("ctz", 0x18), 3);
    check("ctzw 0", R1("ctzw", 0), 32);
    check("ctzw high only", R1("ctzw", 0x100000000ull), 32);
    check("ctzw 0x80000000", R1("ctzw", 0x80000000ull), 31);
    check("cpop 0", R1("cpop", 0), 0);
    check("cpop -1", R1("cpop", M1), 64);
    check("cpop pattern", R1("cpop", 0x8000000000000101ull), 3);
    check("cpopw -1", R1("cpopw", M1), 32);
    check("cpopw high only", R1("cpopw", 0xffffffff00000000ull), 0);
    check("cpopw 0", R1("cpopw", 0), 0);

    group("zbb rotate/bytes");
    check("rol 1", RR("rol", 0x8000000000000001ull, 1), 3);
    check("rol 65 (uses 1)", RR("rol", 0x8000000000000001ull, 65), 3);
    check("rol 0", RR("rol", 0x1234, 0), 0x1234);
    check("ror 1", RR("ror", 1, 1), MIN64);
    check("ror 64 (uses 0)", RR("ror", 0x1234, 64), 0x1234);
    check("rori 63", RI("rori", 1, 63), 2);
    check("rori 4", RI("rori", 0x123456789abcdef0ull, 4), 0x0123456789abcdefull);
    check("rolw 1", RR("rolw", 0x80000001ull, 1), 3);
    check("rolw sext", RR("rolw", 0xffffffff40000000ull, 1), 0xffffffff80000000ull);
    check("rolw 33 (uses 1)", RR("rolw", 0x40000000ull, 33), 0xffffffff80000000ull);
    check("rorw 1", RR("rorw", 1, 1), 0xffffffff80000000ull);
    check("rorw 32 (uses 0)", RR("rorw", 0xabcdef0012345678ull, 32), 0x12345678);
    check("roriw 1", RI("roriw", 0xffffffff00000001ull, 1), 0xffffffff80000000ull);
    check("roriw 8", RI("roriw", 0x12345678ull, 8), 0x78123456ull);
    check("orc.b", R1("orc.b", 0x0001000000ff0010ull), 0x00ff000000ff00ffull);
    check("orc.b 0", R1("orc.b", 0), 0);
    check("rev8", R1("rev8", 0x0102030405060708ull), 0x0807060504030201ull);
    check("rev8 sign", R1("rev8", 0x80ull), MIN64);
}

static void zbc(void)
{
    group("zbc");
    check("clmul 3*3", RR("clmul", 3, 3), 5);
    check("clmulh 3*3", RR("clmulh", 3, 3), 0);
    check("clmulr 3*3", RR("clmulr", 3, 3), 0);
    check("clmul -1*-1", RR("clmul", M1, M1), 0x5555555555555555ull);
    check("clmulh -1*-1", RR("clmulh", M1, M1), 0x5555555555555555ull);
    check("clmulr -1*-1", RR("clmulr", M1, M1), 0xaaaaaaaaaaaaaaaaull);
    check("clmul edge", RR("clmul", 0x8000000000000001ull, 0x8000000000000001ull), 1);
    check("clmulh edge", RR("clmulh", 0x8000000000000001ull, 0x8000000000000001ull),
          0x4000000000000000ull);
    check("clmulr edge", RR("clmulr", 0x8000000000000001ull, 0x8000000000000001ull), MIN64);
    check("clmul mix", RR("clmul", 0x123456789abcdef0ull, 0xfedcba9876543210ull),
          0x0a0789828c810f00ull);
    check("clmulh mix", RR("clmulh", 0x123456789abcdef0ull, 0xfedcba9876543210ull),
          0x0e038d8688850b04ull);
    check("clmulr mix", RR("clmulr", 0x123456789abcdef0ull, 0xfedcba9876543210ull),
          0x1c071b0d110a1608ull);
    check("clmul -1*2", RR("clmul", M1, 2), 0xfffffffffffffffeull);
    check("clmulh -1*2", RR("clmulh", M1, 2), 1);
    check("clmulr -1*2", RR("clmulr", M1, 2), 3);
    check("clmul x*0", RR("clmul", M1, 0), 0);
}

static void zbs(void)
{
    group("zbs");
    check("bclr 63", RR("bclr", M1, 63), 0x7fffffffffffffffull);
    check("bclr 65 (uses 1)", RR("bclr", M1, 65), 0xfffffffffffffffdull);
    check("bclri 0", RI("bclri", M1, 0), 0xfffffffffffffffeull);
    check("bclri 63", RI("bclri", M1, 63), 0x7fffffffffffffffull);
    check("bext 63", RR("bext", MIN64, 63), 1);
    check("bext 127 (uses 63)", RR("bext", MIN64, 127), 1);
    check("bext 0 of even", RR("bext", 2, 0), 0);
    check("bexti 2", RI("bexti", 5, 2), 1);
    check("bexti 1", RI("bexti", 5, 1), 0);
    check("bexti 32", RI("bexti", 0x100000000ull, 32), 1);
    check("binv 70 (uses 6)", RR("binv", 0, 70), 0x40);
    check("binv clears", RR("binv", 0x40, 6), 0);
    check("binvi 63", RI("binvi", M1, 63), 0x7fffffffffffffffull);
    check("binvi 31", RI("binvi", 0, 31), 0x80000000ull);
    check("bset 63", RR("bset", 0, 63), MIN64);
    check("bset 64 (uses 0)", RR("bset", 0, 64), 1);
    check("bseti 0", RI("bseti", 0, 0), 1);
    check("bseti 40", RI("bseti", 1, 40), 0x10000000001ull);
}

int main(void)
{
    zba();
    zbb();
    zbc();
    zbs();
    return 0;
}
