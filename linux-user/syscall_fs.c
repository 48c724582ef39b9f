/* File-system syscalls: paths (looked up under the sysroot first), stat (translated
 * to the riscv64 struct layout), directories, links, permissions, extended
 * attributes, file-system state. Guest file descriptors are host file descriptors.
 * /proc/self files that would describe rvx rather than the guest are emulated
 * (proc_self.c). */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <unistd.h>

#define GUEST_AT_FDCWD (-100)

int host_dirfd(int64_t guest_dirfd)
{
    return (int)guest_dirfd == GUEST_AT_FDCWD ? AT_FDCWD : (int)guest_dirfd;
}

/* Guest O_* flags use the asm-generic values. */
int open_flags_to_host(uint64_t g)
{
    static const struct { uint32_t guest; int host; } map[] = {
        {01, O_WRONLY}, {02, O_RDWR}, {0100, O_CREAT}, {0200, O_EXCL}, {0400, O_NOCTTY},
        {01000, O_TRUNC}, {02000, O_APPEND}, {04000, O_NONBLOCK}, {010000, O_DSYNC},
        {020000, O_ASYNC}, {040000, O_DIRECT}, {0200000, O_DIRECTORY},
        {0400000, O_NOFOLLOW}, {01000000, O_NOATIME}, {02000000, O_CLOEXEC},
        {04010000, O_SYNC}, {010000000, O_PATH}, {020200000, O_TMPFILE},
    };
    int host = 0;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if ((g & map[i].guest) == map[i].guest)
            host |= map[i].host;
    return host;
}

/* The host's own state, never the sysroot's: kernel file systems, temporary and
 * runtime files, home directories. A Debian sysroot (base-files) holds these as
 * empty directories, which would hide the host's (an empty /proc, a /tmp the guest
 * cannot find its files in, getcwd answering with the sysroot's path). */
static bool host_state_path(const char *path)
{
    static const char *const dirs[] = {"/proc", "/dev", "/sys", "/tmp", "/run", "/home", "/root",
                                       "/var/tmp"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        size_t n = strlen(dirs[i]);
        if (strncmp(path, dirs[i], n) == 0 && (path[n] == 0 || path[n] == '/'))
            return true;
    }
    return false;
}

const char *user_path(const Process *p, const char *path, char *buf, unsigned size)
{
    if (proc_self_is_exe(path))
        return p->exe_path; /* the program, not rvx */
    if (!p->opt.sysroot || path[0] != '/')
        return path;
    /* ".." of the root is the root: "/..", "/../x" must not leave the sysroot */
    const char *rest = path;
    while (rest[0] == '/' && rest[1] == '.' && rest[2] == '.' && (rest[3] == '/' || rest[3] == 0))
        rest += 3;
    if (rest[0] == 0 || (rest[0] == '/' && rest[1] == 0))
        return "/"; /* the host's root: its parent is itself (ismount) */
    if (host_state_path(rest))
        return path;
    snprintf(buf, size, "%s%s", p->opt.sysroot, rest);
    struct stat st;
    if (lstat(buf, &st) == 0)
        return buf;
    return path;
}

const char *user_guest_name(const Process *p, const char *host)
{
    size_t n = p->opt.sysroot ? strlen(p->opt.sysroot) : 0;
    if (n && strncmp(host, p->opt.sysroot, n) == 0 && host[n] == '/')
        return host + n;
    return host;
}

int user_open_path(const Process *p, int dirfd, const char *path, int flags, int mode)
{
    char buf[PATH_MAX];
    return openat(dirfd, user_path(p, path, buf, sizeof buf), flags, mode);
}

#define PATH_ARG(var, addr)                     \
    const char *var##_g = GSTR(addr);           \
    if (!var##_g) return GPATH_ERROR(addr);     \
    char var##_buf[PATH_MAX];                   \
    const char *var = user_path(p, var##_g, var##_buf, sizeof var##_buf)

SYSCALL_HANDLER(openat)
{
    const char *path = GSTR(a[1]);
    if (!path)
        return GPATH_ERROR(a[1]);
    int64_t fd;
    if (proc_self_open(p, path, open_flags_to_host(a[2]), &fd))
        return fd;
    return host_ret(user_open_path(p, host_dirfd((int64_t)a[0]), path,
                                   open_flags_to_host(a[2]), (int)a[3]));
}

SYSCALL_HANDLER(close)
{
    if ((int)a[0] >= 0 && (int)a[0] == guest_dirty_fd(&p->mem))
        return -EBADF; /* not the guest's (see guest_track_writes) */
    return host_ret(close((int)a[0]));
}

/* struct stat of riscv64 (asm-generic/stat.h). */
typedef struct GuestStat {
    uint64_t dev, ino;
    uint32_t mode, nlink, uid, gid;
    uint64_t rdev, pad1;
    int64_t size;
    int32_t blksize, pad2;
    int64_t blocks;
    int64_t atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
    uint32_t unused4, unused5;
} GuestStat;
_Static_assert(sizeof(GuestStat) == 128, "riscv64 struct stat is 128 bytes");

static int64_t put_stat(Process *p, uint64_t addr, const struct stat *st)
{
    GuestStat *g = GPTR(addr, sizeof *g, GPROT_WRITE);
    if (!g)
        return -EFAULT;
    *g = (GuestStat){
        .dev = st->st_dev, .ino = st->st_ino, .mode = st->st_mode, .nlink = (uint32_t)st->st_nlink,
        .uid = st->st_uid, .gid = st->st_gid, .rdev = st->st_rdev, .size = st->st_size,
        .blksize = (int32_t)st->st_blksize, .blocks = st->st_blocks,
        .atime = st->st_atim.tv_sec, .atime_nsec = st->st_atim.tv_nsec,
        .mtime = st->st_mtim.tv_sec, .mtime_nsec = st->st_mtim.tv_nsec,
        .ctime = st->st_ctim.tv_sec, .ctime_nsec = st->st_ctim.tv_nsec,
    };
    return 0;
}

SYSCALL_HANDLER(fstat)
{
    struct stat st;
    if (fstat((int)a[0], &st) < 0)
        return -errno;
    return put_stat(p, a[1], &st);
}

static int host_at_flags(uint64_t g)
{
    /* AT_* flags share their values on every Linux architecture. */
    return (int)(g & (AT_SYMLINK_NOFOLLOW | AT_REMOVEDIR | AT_SYMLINK_FOLLOW | AT_NO_AUTOMOUNT |
                      AT_EMPTY_PATH | AT_EACCESS | AT_STATX_SYNC_TYPE));
}

/* The host path to stat for a guest path: /proc/self/exe not followed is our own
 * link (a symlink, as Linux's), not the program user_path gives. */
static const char *stat_path(const char *path_g, const char *path, int host_flags)
{
    return (host_flags & AT_SYMLINK_NOFOLLOW) && proc_self_is_exe(path_g) ? "/proc/self/exe" : path;
}

SYSCALL_HANDLER(newfstatat)
{
    PATH_ARG(path, a[1]);
    path = stat_path(path_g, path, host_at_flags(a[3]));
    struct stat st;
    if (fstatat(host_dirfd((int64_t)a[0]), path, &st, host_at_flags(a[3])) < 0)
        return -errno;
    return put_stat(p, a[2], &st);
}

SYSCALL_HANDLER(statx)
{
    PATH_ARG(path, a[1]);
    void *buf = GPTR(a[4], 256, GPROT_WRITE); /* struct statx: same on every arch */
    if (!buf)
        return -EFAULT;
    path = stat_path(path_g, path, (int)a[2]);
    return host_ret(syscall(SYS_statx, host_dirfd((int64_t)a[0]), path, (int)a[2],
                            (unsigned)a[3], buf));
}

SYSCALL_HANDLER(readlinkat)
{
    PATH_ARG(path, a[1]);
    char *buf = GPTR(a[2], a[3], GPROT_WRITE);
    if (!buf)
        return -EFAULT;
    if (proc_self_is_exe(path_g)) {
        const char *exe = user_guest_name(p, p->exe_path);
        size_t n = strlen(exe);
        if (n > a[3]) n = a[3];
        memcpy(buf, exe, n);
        return (int64_t)n;
    }
    return host_ret(readlinkat(host_dirfd((int64_t)a[0]), path, buf, a[3]));
}

SYSCALL_HANDLER(getdents64)
{
    void *buf = GPTR(a[1], a[2], GPROT_WRITE); /* linux_dirent64: same on every arch */
    if (!buf)
        return -EFAULT;
    return host_ret(syscall(SYS_getdents64, (int)a[0], buf, (size_t)a[2]));
}

/* The guest's name of the working directory: inside the sysroot (chdir to one of its
 * directories), without the sysroot's prefix, as the guest named it. */
SYSCALL_HANDLER(getcwd)
{
    char *buf = GPTR(a[0], a[1], GPROT_WRITE);
    if (!buf)
        return -EFAULT;
    char cwd[PATH_MAX], root[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return -errno;
    const char *name = cwd;
    size_t n = p->opt.sysroot && realpath(p->opt.sysroot, root) ? strlen(root) : 0;
    if (n > 1 && strncmp(cwd, root, n) == 0 && (cwd[n] == '/' || cwd[n] == 0))
        name = cwd[n] ? cwd + n : "/";
    size_t len = strlen(name) + 1;
    if (len > a[1])
        return -ERANGE;
    memcpy(buf, name, len);
    return (int64_t)len;
}

SYSCALL_HANDLER(chdir) { PATH_ARG(path, a[0]); return host_ret(chdir(path)); }
SYSCALL_HANDLER(fchdir) { return host_ret(fchdir((int)a[0])); }
SYSCALL_HANDLER(mkdirat)
{
    PATH_ARG(path, a[1]);
    return host_ret(mkdirat(host_dirfd((int64_t)a[0]), path, (mode_t)a[2]));
}
SYSCALL_HANDLER(unlinkat)
{
    PATH_ARG(path, a[1]);
    return host_ret(unlinkat(host_dirfd((int64_t)a[0]), path, host_at_flags(a[2])));
}
SYSCALL_HANDLER(symlinkat)
{
    const char *target = GSTR(a[0]);
    PATH_ARG(path, a[2]);
    if (!target)
        return GPATH_ERROR(a[0]);
    return host_ret(symlinkat(target, host_dirfd((int64_t)a[1]), path));
}
SYSCALL_HANDLER(linkat)
{
    PATH_ARG(from, a[1]);
    PATH_ARG(to, a[3]);
    return host_ret(linkat(host_dirfd((int64_t)a[0]), from, host_dirfd((int64_t)a[2]), to,
                           host_at_flags(a[4])));
}
SYSCALL_HANDLER(renameat2)
{
    PATH_ARG(from, a[1]);
    PATH_ARG(to, a[3]);
    return host_ret(syscall(SYS_renameat2, host_dirfd((int64_t)a[0]), from,
                            host_dirfd((int64_t)a[2]), to, (unsigned)a[4]));
}
SYSCALL_HANDLER(renameat)
{
    const uint64_t b[5] = {a[0], a[1], a[2], a[3], 0};
    return sys_renameat2(p, h, b);
}
SYSCALL_HANDLER(faccessat2)
{
    PATH_ARG(path, a[1]);
    return host_ret(faccessat(host_dirfd((int64_t)a[0]), path, (int)a[2], host_at_flags(a[3])));
}
SYSCALL_HANDLER(faccessat)
{
    const uint64_t b[4] = {a[0], a[1], a[2], 0};
    return sys_faccessat2(p, h, b);
}
SYSCALL_HANDLER(fchmod) { return host_ret(fchmod((int)a[0], (mode_t)a[1])); }
SYSCALL_HANDLER(fchmodat)
{
    PATH_ARG(path, a[1]);
    return host_ret(fchmodat(host_dirfd((int64_t)a[0]), path, (mode_t)a[2], 0));
}
SYSCALL_HANDLER(fchown) { return host_ret(fchown((int)a[0], (uid_t)a[1], (gid_t)a[2])); }
SYSCALL_HANDLER(fchownat)
{
    PATH_ARG(path, a[1]);
    return host_ret(fchownat(host_dirfd((int64_t)a[0]), path, (uid_t)a[2], (gid_t)a[3],
                             host_at_flags(a[4])));
}
SYSCALL_HANDLER(utimensat)
{
    const struct timespec *times = NULL;
    if (a[2]) {
        times = GPTR(a[2], 2 * sizeof(struct timespec), GPROT_READ);
        if (!times)
            return -EFAULT;
    }
    if (!a[1]) /* futimens */
        return host_ret(syscall(SYS_utimensat, (int)a[0], NULL, times, (int)a[3]));
    PATH_ARG(path, a[1]);
    return host_ret(utimensat(host_dirfd((int64_t)a[0]), path, times, host_at_flags(a[3])));
}
SYSCALL_HANDLER(ftruncate) { return host_ret(ftruncate((int)a[0], (off_t)a[1])); }
SYSCALL_HANDLER(fsync) { return host_ret(fsync((int)a[0])); }
SYSCALL_HANDLER(fdatasync) { return host_ret(fdatasync((int)a[0])); }
SYSCALL_HANDLER(umask) { return umask((mode_t)a[0]); }

SYSCALL_HANDLER(fchmodat2)
{
    PATH_ARG(path, a[1]);
    /* The host number is the generic one (452) on x86-64 and AArch64 alike. */
    return host_ret(syscall(452, host_dirfd((int64_t)a[0]), path, (mode_t)a[2],
                            host_at_flags(a[3])));
}
SYSCALL_HANDLER(mknodat)
{
    PATH_ARG(path, a[1]);
    return host_ret(mknodat(host_dirfd((int64_t)a[0]), path, (mode_t)a[2], (dev_t)a[3]));
}
SYSCALL_HANDLER(truncate) { PATH_ARG(path, a[0]); return host_ret(truncate(path, (off_t)a[1])); }
SYSCALL_HANDLER(fallocate)
{
    return host_ret(fallocate((int)a[0], (int)a[1], (off_t)a[2], (off_t)a[3]));
}
SYSCALL_HANDLER(fadvise64)
{
    return -posix_fadvise((int)a[0], (off_t)a[1], (off_t)a[2], (int)a[3]);
}
SYSCALL_HANDLER(readahead) { return host_ret(readahead((int)a[0], (off64_t)a[1], (size_t)a[2])); }
SYSCALL_HANDLER(flock) { return host_ret(flock((int)a[0], (int)a[1])); }
SYSCALL_HANDLER(sync) { sync(); return 0; }
SYSCALL_HANDLER(syncfs) { return host_ret(syncfs((int)a[0])); }
SYSCALL_HANDLER(sync_file_range)
{
    return host_ret(sync_file_range((int)a[0], (off64_t)a[1], (off64_t)a[2], (unsigned)a[3]));
}

/* struct statfs: the same 120 bytes of longs on riscv64 and x86-64. */
SYSCALL_HANDLER(statfs)
{
    PATH_ARG(path, a[0]);
    struct statfs *st = GPTR(a[1], sizeof *st, GPROT_WRITE);
    return st ? host_ret(statfs(path, st)) : -EFAULT;
}
SYSCALL_HANDLER(fstatfs)
{
    struct statfs *st = GPTR(a[1], sizeof *st, GPROT_WRITE);
    return st ? host_ret(fstatfs((int)a[0], st)) : -EFAULT;
}

/* Changing the root or the mount table of the rvx process would change the host
 * view rvx itself depends on (the sysroot, /proc/self/exe): refused as for an
 * unprivileged process. */
SYSCALL_HANDLER(chroot) { return GSTR(a[0]) ? -EPERM : -EFAULT; }
SYSCALL_HANDLER(mount) { return -EPERM; }
SYSCALL_HANDLER(umount2) { return GSTR(a[0]) ? -EPERM : -EFAULT; }

/* ---- extended attributes: names are strings, values are bytes ---- */

SYSCALL_HANDLER(setxattr)
{
    PATH_ARG(path, a[0]);
    const char *name = GSTR(a[1]);
    const void *value = GPTR(a[2], a[3], GPROT_READ);
    return name && value ? host_ret(setxattr(path, name, value, a[3], (int)a[4])) : -EFAULT;
}
SYSCALL_HANDLER(lsetxattr)
{
    PATH_ARG(path, a[0]);
    const char *name = GSTR(a[1]);
    const void *value = GPTR(a[2], a[3], GPROT_READ);
    return name && value ? host_ret(lsetxattr(path, name, value, a[3], (int)a[4])) : -EFAULT;
}
SYSCALL_HANDLER(fsetxattr)
{
    const char *name = GSTR(a[1]);
    const void *value = GPTR(a[2], a[3], GPROT_READ);
    return name && value ? host_ret(fsetxattr((int)a[0], name, value, a[3], (int)a[4])) : -EFAULT;
}
SYSCALL_HANDLER(getxattr)
{
    PATH_ARG(path, a[0]);
    const char *name = GSTR(a[1]);
    void *value = GPTR(a[2], a[3], GPROT_WRITE);
    return name && value ? host_ret(getxattr(path, name, value, a[3])) : -EFAULT;
}
SYSCALL_HANDLER(lgetxattr)
{
    PATH_ARG(path, a[0]);
    const char *name = GSTR(a[1]);
    void *value = GPTR(a[2], a[3], GPROT_WRITE);
    return name && value ? host_ret(lgetxattr(path, name, value, a[3])) : -EFAULT;
}
SYSCALL_HANDLER(fgetxattr)
{
    const char *name = GSTR(a[1]);
    void *value = GPTR(a[2], a[3], GPROT_WRITE);
    return name && value ? host_ret(fgetxattr((int)a[0], name, value, a[3])) : -EFAULT;
}
SYSCALL_HANDLER(listxattr)
{
    PATH_ARG(path, a[0]);
    char *list = GPTR(a[1], a[2], GPROT_WRITE);
    return list ? host_ret(listxattr(path, list, a[2])) : -EFAULT;
}
SYSCALL_HANDLER(llistxattr)
{
    PATH_ARG(path, a[0]);
    char *list = GPTR(a[1], a[2], GPROT_WRITE);
    return list ? host_ret(llistxattr(path, list, a[2])) : -EFAULT;
}
SYSCALL_HANDLER(flistxattr)
{
    char *list = GPTR(a[1], a[2], GPROT_WRITE);
    return list ? host_ret(flistxattr((int)a[0], list, a[2])) : -EFAULT;
}
SYSCALL_HANDLER(removexattr)
{
    PATH_ARG(path, a[0]);
    const char *name = GSTR(a[1]);
    return name ? host_ret(removexattr(path, name)) : -EFAULT;
}
SYSCALL_HANDLER(lremovexattr)
{
    PATH_ARG(path, a[0]);
    const char *name = GSTR(a[1]);
    return name ? host_ret(lremovexattr(path, name)) : -EFAULT;
}
SYSCALL_HANDLER(fremovexattr)
{
    const char *name = GSTR(a[1]);
    return name ? host_ret(fremovexattr((int)a[0], name)) : -EFAULT;
}

/* ---- inotify: struct inotify_event is the same everywhere ---- */

SYSCALL_HANDLER(inotify_init1) { return host_ret(inotify_init1(open_flags_to_host(a[0]))); }
SYSCALL_HANDLER(inotify_add_watch)
{
    PATH_ARG(path, a[1]);
    return host_ret(inotify_add_watch((int)a[0], path, (uint32_t)a[2]));
}
SYSCALL_HANDLER(inotify_rm_watch) { return host_ret(inotify_rm_watch((int)a[0], (int)a[1])); }
