/* /proc/self/maps shows the guest's own mappings (not the emulator's): the
 * program, the stack, a fresh anonymous mapping with its exact bounds and
 * permissions, a file mapping with its name, mprotect splitting a mapping, and
 * munmap removing it; readlink /proc/self/exe names the program. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

/* Whether maps has a line "start-end perms ..." (optionally ending in name). */
static int has_line(unsigned long start, unsigned long end, const char *perms, const char *name)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int found = 0;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long s, e;
        char p[8];
        if (sscanf(line, "%lx-%lx %4s", &s, &e, p) != 3)
            continue;
        if (s == start && e == end && !strcmp(p, perms) && (!name || strstr(line, name)))
            found = 1;
    }
    if (f)
        fclose(f);
    return found;
}

/* The mapping containing addr: its permissions and name. */
static int containing(unsigned long addr, char *perms, char *name)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int found = 0;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long s, e;
        char p[8], path[256] = "";
        if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %255s", &s, &e, p, path) < 3)
            continue;
        if (s <= addr && addr < e) {
            strcpy(perms, p);
            strcpy(name, path);
            found = 1;
        }
    }
    if (f)
        fclose(f);
    return found;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char perms[8], name[256], exe[512];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    check("readlink /proc/self/exe is the program", n > 0 && strstr(exe, "maps-") != NULL);
    check("code mapping r-x with the program's name",
          containing((unsigned long)&main, perms, name) && !strcmp(perms, "r-xp") && strstr(name, "maps-"));
    int local;
    check("stack mapping named [stack]",
          containing((unsigned long)&local, perms, name) && !strcmp(perms, "rw-p") && !strcmp(name, "[stack]"));

    char *m = mmap(NULL, 5 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned long b = (unsigned long)m;
    check("anonymous mapping listed", has_line(b, b + 5 * 4096, "rw-p", NULL));
    mprotect(m + 4096, 4096, PROT_READ);
    check("mprotect splits: head", has_line(b, b + 4096, "rw-p", NULL));
    check("mprotect splits: middle", has_line(b + 4096, b + 2 * 4096, "r--p", NULL));
    check("mprotect splits: tail", has_line(b + 2 * 4096, b + 5 * 4096, "rw-p", NULL));
    munmap(m, 5 * 4096);
    check("munmap removes it", !containing(b + 4096, perms, name));

    int fd = open("/proc/self/exe", O_RDONLY);
    void *f = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    check("file mapping named", containing((unsigned long)f, perms, name) && !strcmp(perms, "r--p") &&
                                    strstr(name, "maps-"));
    /* Page 0 is never mappable (as with Linux's mmap_min_addr). */
    errno = 0;
    void *z = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check("MAP_FIXED at page 0 refused", z == MAP_FAILED && errno == EPERM);
    printf("maps: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
