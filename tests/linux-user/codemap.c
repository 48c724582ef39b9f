/* Code replaced by remapping, as a dynamic loader or a JIT's file-backed buffers do:
 * a file holding one function mapped executable and called until it is translated,
 * then another file mapped over it (MAP_FIXED), then the first again after munmap.
 * No fence.i in between: a new mapping must never run the old mapping's code.
 * A second, untouched mapping keeps its translated code. Then a JIT's two views of
 * one shared memory file: code written through the writable view runs through the
 * executable one after __riscv_flush_icache or fence.i (the one case where rvx, which
 * sees every other write to code, needs them). Prints one line per check. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

/* A page whose first instructions are `li a0, value; ret`, in a temporary file. */
static int code_file(int value)
{
    char path[] = "/tmp/rvx-codemap-XXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    uint32_t page[1024];
    memset(page, 0, sizeof page);
    page[0] = 0x00000513u | ((uint32_t)value << 20); /* addi a0, zero, value */
    page[1] = 0x00008067u;                            /* jalr zero, 0(ra) */
    if (fd < 0 || write(fd, page, sizeof page) != (ssize_t)sizeof page)
        abort();
    return fd;
}

static int call_many(void *code)
{
    int (*fn)(void) = (int (*)(void))code;
    int r = 0;
    for (int i = 0; i < 100; i++)
        r = fn();
    return r;
}

/* Rewrites `li a0, value` through the writable view w of code that runs at x. */
static void jit_write(void *w, int value)
{
    ((volatile uint32_t *)w)[0] = 0x00000513u | ((uint32_t)value << 20);
}

static void check_dual_view(void)
{
    int fd = memfd_create("rvx-jit", 0);
    check("jit memfd", fd >= 0 && ftruncate(fd, 4096) == 0);
    void *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void *x = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    check("jit views", w != MAP_FAILED && x != MAP_FAILED);
    ((uint32_t *)w)[1] = 0x00008067u; /* ret */
    jit_write(w, 5);
    __builtin___clear_cache((char *)x, (char *)x + 8);
    check("jit code runs", call_many(x) == 5);
    jit_write(w, 6);
    __builtin___clear_cache((char *)x, (char *)x + 8); /* riscv_flush_icache */
    check("jit code rewritten, flush_icache", call_many(x) == 6);
    jit_write(w, 7);
    __asm__ volatile("fence.i" ::: "memory");
    check("jit code rewritten, fence.i", call_many(x) == 7);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int one = code_file(1), two = code_file(2), three = code_file(3);
    void *a = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, one, 0);
    void *b = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, three, 0);
    check("mapped", a != MAP_FAILED && b != MAP_FAILED);
    check("first code", call_many(a) == 1 && call_many(b) == 3);
    check("mapped over", mmap(a, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, two, 0) == a);
    check("new code runs", call_many(a) == 2);
    check("other mapping unchanged", call_many(b) == 3);
    munmap(a, 4096);
    check("mapped again", mmap(a, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, one, 0) == a);
    check("old code again", call_many(a) == 1);
    mprotect(a, 4096, PROT_READ | PROT_WRITE);
    ((uint32_t *)a)[0] = 0x00000513u | (4u << 20);
    mprotect(a, 4096, PROT_READ | PROT_EXEC);
    __builtin___clear_cache((char *)a, (char *)a + 8);
    check("rewritten code", call_many(a) == 4);
    check_dual_view();
    printf("codemap: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
