/* libc_basic.c — exercises glibc's static startup and common services: argv (the test
 * passes "alpha" "beta gamma"), auxv (getauxval), thread-local storage and errno, brk/mmap
 * via malloc of small and large blocks, string functions (ifunc-selected memcpy/strlen),
 * qsort, snprintf/strtod of doubles (round trip), setjmp/longjmp, and stdio buffering to a
 * pipe or file (the output is only correct if exit flushes it). Expected values are
 * checked in place; everything is also printed for comparison with qemu. */
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static int fails;
#define EXPECT(cond, what)                                                             \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            printf("FAIL: %s\n", what);                                                \
            fails++;                                                                   \
        }                                                                              \
    } while (0)

static __thread int tls_counter = 41;
static __thread char tls_buf[64];

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static jmp_buf jb;
static void jump_back(int v) { longjmp(jb, v); }

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    EXPECT(argc == 3 && !strcmp(argv[1], "alpha") && !strcmp(argv[2], "beta gamma"), "argv");

    printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
    EXPECT(getauxval(AT_PAGESZ) == 4096, "page size");
    EXPECT(getauxval(AT_PHDR) != 0, "AT_PHDR");
    EXPECT(getauxval(AT_RANDOM) != 0, "AT_RANDOM");
    EXPECT(getauxval(AT_ENTRY) != 0, "AT_ENTRY");
    printf("auxv phdr/random/entry present: %d\n",
           getauxval(AT_PHDR) && getauxval(AT_RANDOM) && getauxval(AT_ENTRY));

    tls_counter++;
    strcpy(tls_buf, "thread-local");
    printf("tls: %d %s\n", tls_counter, tls_buf);
    EXPECT(tls_counter == 42, "tls");
    errno = 0;
    long r = strtol("99999999999999999999999", NULL, 10);
    printf("strtol overflow: %ld errno=%s\n", r, errno == ERANGE ? "ERANGE" : "other");
    EXPECT(errno == ERANGE, "errno");

    /* Small allocations (brk) and a large one (mmap). */
    unsigned long total = 0;
    char *blocks[200];
    for (int i = 0; i < 200; i++) {
        blocks[i] = malloc(16 + i * 13);
        memset(blocks[i], i, 16 + i * 13);
    }
    for (int i = 0; i < 200; i += 2)
        free(blocks[i]);
    for (int i = 1; i < 200; i += 2)
        total += (unsigned char)blocks[i][i];
    char *big = malloc(8 << 20);
    for (int i = 0; i < (8 << 20); i += 4096)
        big[i] = (char)(i >> 12);
    for (int i = 0; i < (8 << 20); i += 4096)
        total += (unsigned char)big[i];
    free(big);
    printf("malloc checksum: %lu\n", total);
    void *b0 = sbrk(0);
    EXPECT(b0 != (void *)-1, "sbrk");

    /* Strings. */
    char s[256];
    snprintf(s, sizeof s, "%s-%05d-%x-%c", "abc", 42, 0xbeef, 'z');
    printf("snprintf: %s len=%zu\n", s, strlen(s));
    EXPECT(!strcmp(s, "abc-00042-beef-z"), "snprintf");
    const char *hay = "the quick brown fox jumps over the lazy dog";
    printf("strstr: %s | strchr: %s | strrchr: %s | strcmp: %d\n", strstr(hay, "fox"),
           strchr(hay, 'q'), strrchr(hay, 't'), strcmp("apple", "apricot") < 0);
    char cpy[64];
    memcpy(cpy, hay + 3, 20);
    cpy[20] = 0;
    memmove(cpy + 2, cpy, 10);
    printf("memmove: '%s'\n", cpy);

    /* qsort. */
    int arr[1000];
    unsigned seed = 12345;
    for (int i = 0; i < 1000; i++) {
        seed = seed * 1103515245u + 12345u;
        arr[i] = (int)(seed >> 8) % 100000 - 50000;
    }
    qsort(arr, 1000, sizeof arr[0], cmp_int);
    int sorted = 1;
    for (int i = 1; i < 1000; i++)
        sorted &= arr[i - 1] <= arr[i];
    printf("qsort: sorted=%d min=%d median=%d max=%d\n", sorted, arr[0], arr[500], arr[999]);
    EXPECT(sorted, "qsort");

    /* Doubles through printf/strtod. */
    double vals[] = {0.1, 1.0 / 3.0, 2.5e-310, 1.7976931348623157e308, -0.0, 123456789.125, 6.02214076e23};
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        char b[64];
        snprintf(b, sizeof b, "%.17g", vals[i]);
        double back = strtod(b, NULL);
        printf("double %s %.3e %f %a roundtrip=%d\n", b, vals[i], vals[i], vals[i],
               memcmp(&back, &vals[i], sizeof back) == 0);
        EXPECT(memcmp(&back, &vals[i], sizeof back) == 0, "strtod round trip");
    }
    printf("float %.9g %g\n", (double)3.14159274f, 1e-7);

    /* setjmp/longjmp. */
    volatile int stage = 0;
    int v = setjmp(jb);
    if (v == 0) {
        stage = 1;
        jump_back(7);
    }
    printf("longjmp returned %d stage %d\n", v, stage);
    EXPECT(v == 7 && stage == 1, "longjmp");

    printf("result: %s\n", fails ? "FAIL" : "ok");
    return fails ? 1 : 0; /* exit() must flush the buffered stdout */
}
