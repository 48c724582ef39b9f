/* Bench kernel: string processing: builds a text from a vocabulary, splits it into
 * words, counts them in a chained hash table, searches substrings (strstr), formats
 * and parses numbers (snprintf/strtoul) and case-folds. Byte-sized loads and libc
 * string routines. Argument: number of rounds over a ~200 KiB text. */
#include <string.h>

#include "common.h"

static const char *const vocab[] = {
    "emulator", "instruction", "register", "translation", "block", "cache", "branch",
    "memory", "page", "fault", "interrupt", "vector", "atomic", "fence", "load", "store",
    "compressed", "decoder", "backend", "frontend", "lifter", "optimizer", "benchmark",
    "risc", "five", "hart", "privilege", "supervisor", "machine", "user", "syscall", "signal",
};
enum { NVOCAB = sizeof vocab / sizeof vocab[0], TEXT = 200 * 1024, BUCKETS = 4096 };

static char text[TEXT + 64], work[TEXT + 64];

typedef struct Entry { char word[32]; uint32_t count; int next; } Entry;
static Entry entries[8192];
static int heads[BUCKETS], n_entries;

static uint32_t fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static void count_word(const char *w, size_t n)
{
    if (n >= sizeof entries[0].word)
        n = sizeof entries[0].word - 1;
    uint32_t b = fnv1a(w, n) % BUCKETS;
    for (int e = heads[b]; e >= 0; e = entries[e].next)
        if (strlen(entries[e].word) == n && memcmp(entries[e].word, w, n) == 0) {
            entries[e].count++;
            return;
        }
    if (n_entries == (int)(sizeof entries / sizeof entries[0]))
        return;
    Entry *e = &entries[n_entries];
    memcpy(e->word, w, n);
    e->word[n] = 0;
    e->count = 1;
    e->next = heads[b];
    heads[b] = n_entries++;
}

int main(int argc, char **argv)
{
    long rounds = bench_iterations(argc, argv, 100);
    uint64_t s = 2024, sum = 0;
    for (long r = 0; r < rounds; r++) {
        /* Build: words, some numbers, punctuation. */
        size_t len = 0;
        while (len < TEXT) {
            uint64_t x = bench_rand(&s);
            int m;
            if (x % 11 == 0)
                m = snprintf(text + len, 64, "%lu, ", (unsigned long)(x >> 40));
            else
                m = snprintf(text + len, 64, "%s%s", vocab[x % NVOCAB], x % 7 == 0 ? ". " : " ");
            len += (size_t)m;
        }
        text[len] = 0;
        /* Split and count; parse the numbers. */
        memset(heads, -1, sizeof heads);
        n_entries = 0;
        unsigned long numbers = 0;
        for (const char *p = text; *p;) {
            while (*p == ' ' || *p == ',' || *p == '.')
                p++;
            const char *start = p;
            while (*p && *p != ' ' && *p != ',' && *p != '.')
                p++;
            if (p == start)
                continue;
            if (*start >= '0' && *start <= '9')
                numbers += strtoul(start, NULL, 10);
            else
                count_word(start, (size_t)(p - start));
        }
        /* Search and case-fold. */
        unsigned hits = 0;
        for (const char *p = text; (p = strstr(p, "translation block")) != NULL; p++)
            hits++;
        memcpy(work, text, len + 1);
        for (size_t i = 0; i < len; i++)
            if (work[i] >= 'a' && work[i] <= 'z')
                work[i] = (char)(work[i] - 32);
        sum = bench_mix(sum, fnv1a(work, len));
        sum = bench_mix(sum, numbers ^ hits);
        for (int e = 0; e < n_entries; e++)
            sum = bench_mix(sum, (uint64_t)entries[e].count << 8 ^ (uint8_t)entries[e].word[0]);
    }
    return bench_report("strings", sum);
}
