/* rt.h — freestanding runtime shared by the self-checking guest test programs:
 * _start, raw Linux syscalls, hex printing and check helpers.
 *
 * Why freestanding: these programs test instruction semantics, so they use only the
 * syscalls write, exit_group (and mmap/mprotect in the SMC test) and no libc startup.
 * Every check prints its computed value as hex, so comparing stdout of rvx with
 * qemu-riscv64 catches differences even where no expected value is given, and checks
 * with a spec-derived expected value also fail the program (exit status 1) by themselves.
 * Include this header exactly once, from the program's only C file. */
#ifndef RVX_GUEST_RT_H
#define RVX_GUEST_RT_H

#include <stdint.h>
#include <stddef.h>

typedef uint64_t u64;
typedef int64_t i64;
typedef uint32_t u32;

#define SYS_write 64
#define SYS_exit_group 94
#define SYS_munmap 215
#define SYS_mmap 222
#define SYS_mprotect 226

/* Entry: set gp (the linker may relax accesses against it), align sp, call C. */
__asm__(".text\n"
        ".globl _start\n"
        ".type _start,@function\n"
        "_start:\n"
        ".option push\n.option norelax\n"
        "  lla gp, __global_pointer$\n"
        ".option pop\n"
        "  andi sp, sp, -16\n"
        "  call rt_start_c\n"
        "1: j 1b\n");

static __attribute__((unused)) long rt_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a3 __asm__("a3") = d;
    register long a4 __asm__("a4") = e;
    register long a5 __asm__("a5") = f;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall"
                     : "+r"(a0)
                     : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
                     : "memory");
    return a0;
}

static __attribute__((unused)) __attribute__((noreturn)) void rt_exit(int status)
{
    rt_syscall6(SYS_exit_group, status, 0, 0, 0, 0, 0);
    for (;;) {
    }
}

/* gcc may emit calls to these even in freestanding code (struct copies, zeroing). */
void *memset(void *d, int c, size_t n)
{
    volatile unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}
void *memcpy(void *d, const void *s, size_t n)
{
    volatile unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

static __attribute__((unused)) size_t rt_strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static __attribute__((unused)) void rt_write(const char *s, size_t n) { rt_syscall6(SYS_write, 1, (long)s, (long)n, 0, 0, 0); }
static __attribute__((unused)) void rt_puts(const char *s) { rt_write(s, rt_strlen(s)); }

/* Line buffer: each check is emitted with one write() so output never interleaves. */
static char rt_buf[256];
static __attribute__((unused)) size_t rt_len;

static __attribute__((unused)) void rt_cat(const char *s)
{
    while (*s && rt_len < sizeof rt_buf - 1)
        rt_buf[rt_len++] = *s++;
}
static __attribute__((unused)) void rt_cathex(u64 v, int digits)
{
    static const char hx[] = "0123456789abcdef";
    rt_cat("0x");
    for (int i = digits - 1; i >= 0; i--)
        if (rt_len < sizeof rt_buf - 1)
            rt_buf[rt_len++] = hx[(v >> (4 * i)) & 15];
}
static __attribute__((unused)) void rt_flush(void)
{
    rt_buf[rt_len++] = '\n';
    rt_write(rt_buf, rt_len);
    rt_len = 0;
}

static int rt_checks, rt_fails;

/* show: print a computed value that has no hand-derived expectation (qemu is the oracle). */
static __attribute__((unused)) void show(const char *name, u64 got)
{
    rt_cat(name);
    rt_cat(": ");
    rt_cathex(got, 16);
    rt_flush();
}

/* check: print the computed value and compare it with the spec-derived expectation. */
static __attribute__((unused)) void check(const char *name, u64 got, u64 exp)
{
    rt_checks++;
    rt_cat(name);
    rt_cat(": ");
    rt_cathex(got, 16);
    if (got == exp) {
        rt_cat(" ok");
    } else {
        rt_fails++;
        rt_cat(" FAIL expected ");
        rt_cathex(exp, 16);
    }
    rt_flush();
}

/* checkf: like check, plus the accrued fflags the operation produced. */
static __attribute__((unused)) void checkf(const char *name, u64 got, u64 flags, u64 exp, u64 exp_flags)
{
    rt_checks++;
    rt_cat(name);
    rt_cat(": ");
    rt_cathex(got, 16);
    rt_cat(" fflags=");
    rt_cathex(flags, 2);
    if (got == exp && flags == exp_flags) {
        rt_cat(" ok");
    } else {
        rt_fails++;
        rt_cat(" FAIL expected ");
        rt_cathex(exp, 16);
        rt_cat(" fflags=");
        rt_cathex(exp_flags, 2);
    }
    rt_flush();
}

/* group: one readable header per check group; the summary line counts failures. */
static void group(const char *name)
{
    rt_cat("== ");
    rt_cat(name);
    rt_flush();
}

int main(void);

__attribute__((used)) void rt_start_c(void)
{
    main();
    rt_cat(rt_fails ? "result: FAIL " : "result: ok ");
    rt_cathex((u64)rt_fails, 4);
    rt_cat(" failed of ");
    rt_cathex((u64)rt_checks, 4);
    rt_flush();
    rt_exit(rt_fails ? 1 : 0);
}

/* Inline-asm wrappers: the instruction under test is the one named in OP; operands are
 * plain registers so the compiler cannot fold or substitute the operation. */
#define RR(op, a, b)                                                                   \
    ({                                                                                 \
        u64 _d;                                                                        \
        __asm__ volatile(op " %0,%1,%2" : "=r"(_d) : "r"((u64)(a)), "r"((u64)(b)));    \
        _d;                                                                            \
    })
#define RI(op, a, imm)                                                                 \
    ({                                                                                 \
        u64 _d;                                                                        \
        __asm__ volatile(op " %0,%1,%2" : "=r"(_d) : "r"((u64)(a)), "i"(imm));         \
        _d;                                                                            \
    })
#define R1(op, a)                                                                      \
    ({                                                                                 \
        u64 _d;                                                                        \
        __asm__ volatile(op " %0,%1" : "=r"(_d) : "r"((u64)(a)));                      \
        _d;                                                                            \
    })

#endif
