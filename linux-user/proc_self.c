/* The files of /proc that describe the calling process, as the guest must see them:
 * the rest of /proc is the host's, which describes the rvx process, and for most
 * files that is the guest (its ids, descriptors, times, name: see name_process in
 * elf_load.c). These are not: exe (the program, not rvx), maps (the guest's
 * mappings), cmdline and environ (the guest's strings), auxv (the guest's vector),
 * stat (its address-space fields). Each is answered under /proc/self,
 * /proc/thread-self and /proc/<our pid>; an emulated file is a snapshot, taken at
 * open, in an anonymous file. */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The NAME of /proc/self/NAME, /proc/thread-self/NAME or /proc/<our pid>/NAME; NULL
 * for any other path. */
static const char *proc_self_name(const char *path)
{
    static const char self[] = "/proc/self/", thread_self[] = "/proc/thread-self/";
    char pid_dir[32];
    snprintf(pid_dir, sizeof pid_dir, "/proc/%d/", getpid());
    if (strncmp(path, self, sizeof self - 1) == 0)
        return path + sizeof self - 1;
    if (strncmp(path, thread_self, sizeof thread_self - 1) == 0)
        return path + sizeof thread_self - 1;
    if (strncmp(path, pid_dir, strlen(pid_dir)) == 0)
        return path + strlen(pid_dir);
    return NULL;
}

bool proc_self_is_exe(const char *path)
{
    const char *name = proc_self_name(path);
    return name && strcmp(name, "exe") == 0;
}

/* Guest memory [start, end) as it is now (setproctitle may have rewritten it). */
static void write_guest_range(Process *p, uint64_t start, uint64_t end, FILE *out)
{
    const void *bytes = end > start ? guest_ptr(&p->mem, start, end - start, GPROT_READ) : NULL;
    if (bytes)
        fwrite(bytes, 1, end - start, out);
}

/* The guest's value of field `field` (numbered from 1, as in proc(5)) of
 * /proc/self/stat, when it is not the host's. */
static bool guest_stat_field(Process *p, int field, uint64_t *value)
{
    const GuestLayout *l = &p->layout;
    switch (field) {
    case 23: { /* vsize */
        uint64_t data;
        pthread_mutex_lock(&p->lock);
        guest_mapped_sizes(&p->mem, value, &data);
        pthread_mutex_unlock(&p->lock);
        return true;
    }
    case 26: *value = l->start_code; return true;
    case 27: *value = l->end_code; return true;
    case 28: *value = l->start_stack; return true;
    case 45: *value = l->start_data; return true;
    case 46: *value = l->end_data; return true;
    case 47: *value = p->brk_start; return true;
    case 48: *value = l->arg_start; return true;
    case 49: *value = l->arg_end; return true;
    case 50: *value = l->env_start; return true;
    case 51: *value = l->env_end; return true;
    default: return false;
    }
}

/* The host's stat line for the same path, with the guest's address-space fields. */
static void write_stat(Process *p, const char *path, FILE *out)
{
    char line[1024];
    FILE *host = fopen(path, "r");
    if (!host)
        return;
    size_t n = fread(line, 1, sizeof line - 1, host);
    fclose(host);
    line[n] = 0;
    char *comm_end = strrchr(line, ')'); /* the name may hold spaces and parentheses */
    if (!comm_end)
        return;
    fwrite(line, 1, (size_t)(comm_end + 1 - line), out);
    char *save = NULL;
    int field = 3;
    for (char *f = strtok_r(comm_end + 1, " \n", &save); f; f = strtok_r(NULL, " \n", &save), field++) {
        uint64_t value;
        if (guest_stat_field(p, field, &value))
            fprintf(out, " %" PRIu64, value);
        else
            fprintf(out, " %s", f);
    }
    fputc('\n', out);
}

static void write_maps(Process *p, const char *path, FILE *out)
{
    pthread_mutex_lock(&p->lock);
    guest_write_maps(&p->mem, out);
    pthread_mutex_unlock(&p->lock);
}

static void write_cmdline(Process *p, const char *path, FILE *out)
{
    write_guest_range(p, p->layout.arg_start, p->layout.arg_end, out);
}

static void write_environ(Process *p, const char *path, FILE *out)
{
    write_guest_range(p, p->layout.env_start, p->layout.env_end, out);
}

static void write_auxv(Process *p, const char *path, FILE *out)
{
    fwrite(p->auxv, sizeof p->auxv[0], p->auxv_words, out);
}

/* The emulated files: each writes its text given the host path it was opened as. */
static const struct {
    const char *name;
    void (*write)(Process *p, const char *path, FILE *out);
} emulated[] = {
    {"maps", write_maps}, {"cmdline", write_cmdline}, {"environ", write_environ},
    {"auxv", write_auxv}, {"stat", write_stat},
};

bool proc_self_open(Process *p, const char *path, int host_flags, int64_t *result)
{
    const char *name = proc_self_name(path);
    size_t i = 0, n = sizeof emulated / sizeof emulated[0];
    while (name && i < n && strcmp(name, emulated[i].name) != 0)
        i++;
    if (!name || i == n)
        return false;
    int fd = memfd_create(name, (host_flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
    FILE *out = fd < 0 ? NULL : fdopen(dup(fd), "w");
    if (!out) {
        *result = -errno;
        if (fd >= 0)
            close(fd);
        return true;
    }
    emulated[i].write(p, path, out);
    fclose(out);
    lseek(fd, 0, SEEK_SET);
    *result = fd;
    return true;
}
