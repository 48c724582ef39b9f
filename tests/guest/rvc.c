/* rvc.c — driver for rvc_ops.S: runs every RV64C instruction form and compares each
 * result with the value the compressed instruction's 32-bit expansion must give
 * (unprivileged spec, "C" chapter). */
#include "rt.h"

u64 rvc_run(u64 *out);

static const u64 expected[] = {
    (u64)-32, (u64)-1, 0xfffffffffffe0000ull, 0x1f000, 0xffffffff80000000ull,
    0xffffffff80000000ull, 16, 32, 0x8000000000000000ull, 0xf,
    (u64)-4, (u64)-1, 0xffffffffffffffe0ull, 21, 0xef1,
    0xf0f, 0xfff, 0xf0, 0xffffffff80000000ull, 0xffffffff80000000ull,
    8, 14, 0xffffffff80000000ull, 0x123456789abcdef0ull, 0xffffffff9abcdef0ull,
    0x123456789abcdef0ull, 0xfffffffffffffffdull, 0x7ff0000000000001ull, 1, 5,
    6, 5, 6, 5, 9,
    0, 55, 5, 42,
};
static const char *const names[] = {
    "c.li", "c.addi", "c.lui neg", "c.lui pos", "c.addiw wrap",
    "c.addiw 0 (sext.w)", "c.addi4spn", "c.addi16sp", "c.slli 63", "c.srli",
    "c.srai", "c.srai 63", "c.andi neg", "c.andi pos", "c.sub",
    "c.xor", "c.or", "c.and", "c.subw", "c.addw wrap",
    "c.addw high", "c.mv/c.add", "c.sw/c.lw", "c.sd/c.ld", "c.swsp/c.lwsp",
    "c.sdsp/c.ldsp", "c.fsd/c.fld", "c.fsdsp/c.fldsp", "c.j", "c.beqz taken",
    "c.beqz not", "c.bnez taken", "c.bnez not", "c.jr", "c.jalr target",
    "c.jalr link", "c.bnez loop", "c.jr odd target", "c.nop",
};

int main(void)
{
    static u64 out[64];
    const u64 n_exp = sizeof expected / sizeof expected[0];
    group("rvc");
    u64 n = rvc_run(out);
    check("result count", n, n_exp);
    for (u64 i = 0; i < n && i < n_exp; i++)
        check(names[i], out[i], expected[i]);
    return 0;
}
