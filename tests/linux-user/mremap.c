/* mremap moving private anonymous memory: the pages go to the new place with their
 * contents; a plain move unmaps the old range, MREMAP_DONTUNMAP leaves it mapped
 * (same protection) as fresh zero pages, to a new address of the kernel's choice
 * or a fixed one; DONTUNMAP needs MREMAP_MAYMOVE and equal sizes (EINVAL).
 * Prints one line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define PAGE 4096
#define LEN (3 * PAGE)

static char *fresh(void)
{
    char *m = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m != MAP_FAILED)
        for (int i = 0; i < LEN; i++)
            m[i] = (char)(i % 251 + 1);
    return m;
}

static int has_pattern(const char *m)
{
    for (int i = 0; i < LEN; i++)
        if (m[i] != (char)(i % 251 + 1))
            return 0;
    return 1;
}

static int all_zero(const char *m)
{
    for (int i = 0; i < LEN; i++)
        if (m[i])
            return 0;
    return 1;
}

/* msync fails with ENOMEM on a range with unmapped pages. */
static int mapped(void *m) { return msync(m, LEN, MS_ASYNC) == 0; }

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    /* Reserved room for the fixed targets (MREMAP_FIXED replaces what is there). */
    char *room = mmap(NULL, 4 * LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *old = fresh(), *to = mremap(old, LEN, LEN, MREMAP_MAYMOVE | MREMAP_FIXED, room);
    check("a plain move carries the pages", to == room && has_pattern(to));
    check("a plain move unmaps the old range", !mapped(old));
    munmap(to, LEN);

    old = fresh();
    to = mremap(old, LEN, LEN, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL); /* NULL: no hint */
    check("DONTUNMAP moves the pages elsewhere", to != MAP_FAILED && to != old && has_pattern(to));
    check("DONTUNMAP leaves the old range mapped", mapped(old));
    check("DONTUNMAP: the old range reads zeros", mapped(old) && all_zero(old));
    old[PAGE] = 7; /* still writable, and apart from the new place */
    check("DONTUNMAP: the old range stays writable and separate", old[PAGE] == 7 && has_pattern(to));
    munmap(old, LEN);
    munmap(to, LEN);

    old = fresh();
    char *want = room + 2 * LEN;
    to = mremap(old, LEN, LEN, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, want);
    check("DONTUNMAP to a fixed address", to == want && has_pattern(to) && mapped(old) && all_zero(old));
    munmap(old, LEN);
    munmap(to, LEN);

    old = fresh();
    errno = 0;
    check("DONTUNMAP without MREMAP_MAYMOVE: EINVAL",
          mremap(old, LEN, LEN, MREMAP_DONTUNMAP, NULL) == MAP_FAILED && errno == EINVAL);
    errno = 0;
    check("DONTUNMAP to another size: EINVAL",
          mremap(old, LEN, 2 * LEN, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL) == MAP_FAILED && errno == EINVAL);
    check("the failed calls left the pages alone", has_pattern(old));
    printf("mremap: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
