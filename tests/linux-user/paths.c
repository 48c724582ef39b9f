/* Paths under a sysroot (-L, the dynamic build's run): the host's /proc and /tmp,
 * never the sysroot's empty directories of the same names; getcwd answers with the
 * guest's names ("/tmp", "/usr", "/"); "/.." is "/" (the root is a mount point).
 * The static build runs without a sysroot: the same answers. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

int main(void)
{
    check("/proc lists the host's processes", entries("/proc") > 10);
    char name[64];
    snprintf(name, sizeof name, "/tmp/rvx-paths-%d", (int)getpid());
    FILE *f = fopen(name, "w");
    check("a file created in /tmp", f != NULL);
    if (f)
        fclose(f);
    check("/tmp lists it", access(name, F_OK) == 0 && entries("/tmp") > 2);
    char cwd[4096] = "";
    check("chdir(\"/tmp\")", chdir("/tmp") == 0);
    check("getcwd says /tmp", getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp") == 0);
    check("the file by its relative name", access(name + 5, F_OK) == 0);
    unlink(name);
    check("chdir(\"/usr\"), getcwd says /usr", chdir("/usr") == 0 && getcwd(cwd, sizeof cwd) && !strcmp(cwd, "/usr"));
    check("chdir(\"/\"), getcwd says /", chdir("/") == 0 && getcwd(cwd, sizeof cwd) && !strcmp(cwd, "/"));
    struct stat root, up;
    check("\"/..\" is \"/\"", stat("/", &root) == 0 && stat("/..", &up) == 0 && root.st_ino == up.st_ino &&
                                   root.st_dev == up.st_dev);
    printf("paths: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
