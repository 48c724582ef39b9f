/* smc.c — Zifencei and self-modifying code: instructions written at run time into an
 * RWX anonymous mapping, into an RW mapping flipped to RX with mprotect, and into a
 * writable+executable section of the program image; each time fence.i, call, overwrite,
 * fence.i, call again. The second call must see the new instruction (a DBT that caches
 * translations must invalidate them). Also patches one instruction in the middle of a
 * longer routine, 16-bit (RVC) code, and a 200-iteration rewrite loop.
 * Needs mmap/mprotect, so it lives apart from the write/exit-only programs. */
#include "rt.h"

#define MAP_PRIVATE 0x02
#define MAP_ANONYMOUS 0x20
#define PROT_R 1
#define PROT_W 2
#define PROT_X 4

/* addi rd, rs1, imm */
#define ADDI(rd, rs1, imm) ((((u32)(imm) & 0xfff) << 20) | ((rs1) << 15) | ((rd) << 7) | 0x13)
#define A0 10
/* jal rd, off (off even, within +-1 MiB) */
#define JAL(rd, off)                                                                   \
    ((((u32)(off) >> 20 & 1) << 31) | (((u32)(off) >> 1 & 0x3ff) << 21) |             \
     (((u32)(off) >> 11 & 1) << 20) | (((u32)(off) >> 12 & 0xff) << 12) | ((rd) << 7) | 0x6f)
#define RET 0x00008067u /* jalr x0, 0(ra) */

typedef u64 (*fn_t)(void);

static void fence_i(void) { __asm__ volatile("fence.i" ::: "memory"); }
static u64 call(void *p) { return ((fn_t)p)(); }

/* A routine in a writable+executable section of the image: returns 7 until patched. */
__asm__(".pushsection .smctext,\"awx\",@progbits\n"
        ".option push\n.option norvc\n"
        ".globl smc_image_fn\n"
        ".p2align 2\n"
        "smc_image_fn:\n"
        "  addi a0, zero, 7\n"
        "  ret\n"
        ".option pop\n"
        ".popsection\n");
u64 smc_image_fn(void);

int main(void)
{
    group("smc rwx mmap");
    long m = rt_syscall6(SYS_mmap, 0, 8192, PROT_R | PROT_W | PROT_X, MAP_PRIVATE | MAP_ANONYMOUS,
                         -1, 0);
    check("mmap rwx ok", (u64)m < (u64)-4096, 1);
    volatile u32 *code = (u32 *)m;
    code[0] = ADDI(A0, 0, 1);
    code[1] = RET;
    fence_i();
    check("first version", call((void *)code), 1);
    code[0] = ADDI(A0, 0, 2);
    fence_i();
    check("patched version", call((void *)code), 2);
    code[0] = ADDI(A0, 0, -5);
    fence_i();
    check("patched again (negative imm)", call((void *)code), (u64)-5);
    /* 16-bit code: c.li a0, 3 ; c.jr ra */
    ((volatile uint16_t *)code)[0] = 0x450d;
    ((volatile uint16_t *)code)[1] = 0x8082;
    fence_i();
    check("rvc code", call((void *)code), 3);

    group("smc patch inside a routine");
    /* a0 = 0; 30 x (a0 += 1); ret -- then replace the 10th increment by a0 += 100. */
    code[0] = ADDI(A0, 0, 0);
    for (int i = 1; i <= 30; i++)
        code[i] = ADDI(A0, A0, 1);
    code[31] = RET;
    fence_i();
    check("routine", call((void *)code), 30);
    code[10] = ADDI(A0, A0, 100);
    fence_i();
    check("routine patched mid-block", call((void *)code), 129);
    code[31] = ADDI(A0, A0, 1000);
    code[32] = RET;
    fence_i();
    check("routine extended", call((void *)code), 1129);

    group("smc rewrite loop");
    {
        u64 sum = 0;
        for (int i = 0; i < 200; i++) {
            code[0] = ADDI(A0, 0, i);
            code[1] = RET;
            fence_i();
            sum += call((void *)code);
        }
        check("sum of 200 rewrites", sum, 19900);
    }
    /* Code on the second page, called alternately with the first. */
    {
        volatile u32 *c2 = code + 1024;
        c2[0] = ADDI(A0, 0, 11);
        c2[1] = RET;
        code[0] = ADDI(A0, 0, 22);
        code[1] = RET;
        fence_i();
        u64 a = call((void *)c2), b = call((void *)code);
        c2[0] = ADDI(A0, 0, 33);
        fence_i();
        check("page 2 first", a, 11);
        check("page 1", b, 22);
        check("page 2 patched, page 1 kept", call((void *)c2) * 100 + call((void *)code), 3322);
    }

    group("smc a loop of one block rewriting its own first instruction");
    /* a0 = 0; L: a0 += 1; sw a3, 0(a2) (a2 = &L, a3 = a0 += 2); a1 -= 1; bnez a1, L;
     * ret. The store (no fence.i) must take effect from the next iteration on, though
     * the DBT runs such a loop inside its block. */
    {
        volatile u32 *c = code + 512;
        c[0] = ADDI(A0, 0, 0);
        c[1] = ADDI(A0, A0, 1);
        c[2] = 0x00d62023u; /* sw a3, 0(a2) */
        c[3] = ADDI(11, 11, -1);
        c[4] = 0xfe059ae3u; /* bnez a1, -12 */
        c[5] = RET;
        fence_i();
        u64 (*loop)(u64, u64, u64, u64) = (u64(*)(u64, u64, u64, u64))(void *)c;
        check("rewritten by its own loop", loop(0, 10, (u64)(c + 1), ADDI(A0, A0, 2)), 19);
    }

    group("smc jump target on another page, rewritten without fence.i");
    /* Page 1: a0 = 0, jump on to page 2: a0 += 5, ret. Once the jump is chained,
     * page 2 is rewritten (no fence.i: rvx, like qemu-user, invalidates on the write)
     * while page 1 stays translated: its jump must not reach the old code. */
    {
        code[1020] = ADDI(A0, 0, 0);
        code[1021] = JAL(0, (1028 - 1021) * 4);
        code[1028] = ADDI(A0, A0, 5);
        code[1029] = RET;
        fence_i();
        u64 sum = 0;
        for (int i = 0; i < 5; i++)
            sum += call((void *)(code + 1020));
        check("before", sum, 25);
        code[1028] = ADDI(A0, A0, 6);
        check("after", call((void *)(code + 1020)), 6);
        code[1028] = ADDI(A0, A0, 7);
        check("after again", call((void *)(code + 1020)), 7);
    }

    group("smc mprotect rw -> rx");
    {
        long p = rt_syscall6(SYS_mmap, 0, 4096, PROT_R | PROT_W, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        volatile u32 *c = (u32 *)p;
        c[0] = ADDI(A0, 0, 40);
        c[1] = RET;
        check("mprotect rx", (u64)rt_syscall6(SYS_mprotect, p, 4096, PROT_R | PROT_X, 0, 0, 0), 0);
        fence_i();
        check("rx version", call((void *)c), 40);
        check("mprotect rw", (u64)rt_syscall6(SYS_mprotect, p, 4096, PROT_R | PROT_W, 0, 0, 0), 0);
        c[0] = ADDI(A0, 0, 41);
        check("mprotect rx again", (u64)rt_syscall6(SYS_mprotect, p, 4096, PROT_R | PROT_X, 0, 0, 0), 0);
        fence_i();
        check("rx version 2", call((void *)c), 41);
        check("munmap", (u64)rt_syscall6(SYS_munmap, p, 4096, 0, 0, 0, 0), 0);
    }

    group("smc writable+executable image section");
    check("image fn", smc_image_fn(), 7);
    *(volatile u32 *)(void *)smc_image_fn = ADDI(A0, 0, 8);
    fence_i();
    check("image fn patched", smc_image_fn(), 8);
    check("munmap rwx", (u64)rt_syscall6(SYS_munmap, m, 8192, 0, 0, 0, 0), 0);
    return 0;
}
