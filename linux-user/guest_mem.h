/* The guest address space of a user-mode process: one host reservation covering the
 * whole riscv64 user range (Sv39: 256 GiB) in which guest page N lives at host
 * base + N * 4096, plus one protection byte per guest page. The protection bytes
 * are the truth: the soft TLB and every syscall pointer check consult them, so a
 * guest can only reach host memory inside the reservation, and only pages it mapped.
 * The reservation is PROT_NONE until pages are mapped, and is never given back.
 * The host pages carry the guest's read and write permission (a page the guest can't
 * read is PROT_NONE), so code may read the guest's memory directly and rely on a host
 * fault where the guest may not (the DBT's loads do, see exec_host_fault).
 * Alongside, a sorted list of mappings (GuestVma) remembers what each range is
 * (file, offset, name) for /proc/self/maps; it is kept in step by the same calls.
 * Not locked here: the owner (Process) serialises changes. */
#ifndef RVX_LINUX_USER_GUEST_MEM_H
#define RVX_LINUX_USER_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GUEST_SPACE_BITS 38
#define GUEST_SPACE_SIZE (1ull << GUEST_SPACE_BITS)
#define GUEST_PAGE_SIZE 4096ull
#define GUEST_PAGE_MASK (~(GUEST_PAGE_SIZE - 1))
/* Inaccessible host pages just below guest address 0 and just above the space, so
 * that host base + address + a small displacement never leaves the reservation. */
#define GUEST_GUARD_SIZE 4096u
/* The first and the last guest page are never mapped (Linux's mmap_min_addr keeps
 * page 0 free too): a register outside the space plus a displacement smaller than a
 * page then reaches no mapped page either, so the DBT checks an address register
 * once per block, not at every access through it (x64_emit.c, emit_flat_addr). */
_Static_assert(GUEST_GUARD_SIZE <= GUEST_PAGE_SIZE,
               "DBT displacements must stay within one unmapped page");
static inline bool guest_mappable(uint64_t addr, uint64_t len)
{
    return addr >= GUEST_PAGE_SIZE && addr < GUEST_SPACE_SIZE - GUEST_PAGE_SIZE &&
           len <= GUEST_SPACE_SIZE - GUEST_PAGE_SIZE - addr;
}

/* Page protection bits: the PROT_* values of Linux, plus MAPPED, plus BUS: a page of
 * a file mapping that may lie beyond the end of the file. The host would answer a
 * touch of such a page with a host SIGBUS, so nothing touches it (no TLB entry, no
 * syscall pointer) before guest_bus_recheck has found it backed after all. mmap sets
 * BUS on the pages wholly beyond EOF at that time (fstat); a mapping grown by
 * mremap sets it on all its new pages. A file that grows later is thus seen at the
 * next access; a file that shrinks under a live mapping is not (known gap: the host
 * SIGBUS still kills rvx, as rvx installs no host fault handler). */
enum { GPROT_READ = 1, GPROT_WRITE = 2, GPROT_EXEC = 4, GPROT_MAPPED = 8, GPROT_BUS = 16,
       GPROT_CODE = 32, GPROT_TRACKED = 64 };

/* GPROT_TRACKED (with GPROT_CODE, without translated code): a vfork child's page not
 * written yet (guest_track_writes). */

/* GPROT_CODE: translated code was read from this page, which the guest may write, so
 * its host page is read-only while the guest still sees it writable. The DBT stores
 * straight to host memory, and a store to such a page must fault so the translations
 * made from it are dropped (self-modifying code without fence.i). The first write
 * lifts the protection (guest_code_unprotect): a DBT store through its slow path, any
 * other write through the host fault handler, a syscall through guest_ptr. Every lift
 * is logged in the process's code log, so every thread drops its code of that page. */

/* One mapping as /proc/self/maps shows it. */
typedef struct GuestVma {
    uint64_t start, end;
    uint64_t offset;      /* file offset of start */
    uint64_t dev, ino;    /* of the mapped file, 0 for anonymous memory */
    uint8_t prot;         /* GPROT_READ/WRITE/EXEC */
    bool shared;
    char *name;           /* path, "[heap]", "[stack]", "[vdso]" or NULL */
} GuestVma;

/* What a new mapping is, for the mapping list (NULL: anonymous, unnamed). */
typedef struct GuestMapInfo {
    uint64_t dev, ino;
    const char *name;
    uint64_t offset;      /* file offset of the described range's start */
} GuestMapInfo;

typedef struct GuestMem {
    uint8_t *base;        /* host address of guest address 0 */
    uint8_t *page_prot;   /* GUEST_SPACE_SIZE / page size entries */
    uint64_t mmap_top;    /* top-down search for mmap(NULL, ...) starts below this */
    GuestVma *vma;        /* sorted by start, non-overlapping */
    size_t n_vma, cap_vma;
    struct CodeLog *code_log; /* where a write lifting GPROT_CODE is logged; may be NULL */
    struct GuestDirty *dirty; /* a vfork child's written pages, NULL if not tracked */
} GuestMem;

/* Reserves the space with guest address 0 at host address `base`, or, for base 0,
 * low in the host if that is free (see guest_mem.c), else anywhere. */
bool guest_mem_init(GuestMem *m, uintptr_t base);
static inline void *guest_host(const GuestMem *m, uint64_t addr) { return m->base + addr; }
static inline uint8_t guest_page_prot(const GuestMem *m, uint64_t addr)
{
    return addr < GUEST_SPACE_SIZE ? m->page_prot[addr >> 12] : 0;
}

/* Maps [addr, addr+len) (page aligned) as fresh zeroed anonymous memory with prot;
 * with fd >= 0 maps the file instead. Shared or private as `shared` (shared anonymous
 * memory is shared with forked children). Returns 0 or -errno. */
int guest_map(GuestMem *m, uint64_t addr, uint64_t len, int prot, int fd, uint64_t offset,
              bool shared);
/* Names the mapping list entries of [addr, addr+len) (after guest_map). */
void guest_map_describe(GuestMem *m, uint64_t addr, uint64_t len, const GuestMapInfo *info);
/* Whether addr lies in a shared mapping (MAP_SHARED: its pages may be mapped, and
 * written, elsewhere too). */
bool guest_addr_shared(const GuestMem *m, uint64_t addr);
/* Whether any page of the range is executable (its code may be cached). */
bool guest_range_has_exec(const GuestMem *m, uint64_t addr, uint64_t len);
void guest_unmap(GuestMem *m, uint64_t addr, uint64_t len);
/* mremap's move: the pages of [old, old+old_len) (one mapping) now live at
 * [to, to+new_len), grown with zeros (or the file) or shrunk; to == old grows in
 * place (the range after it must be free). 0 or -errno. */
int guest_move(GuestMem *m, uint64_t old, uint64_t old_len, uint64_t to, uint64_t new_len);
/* MREMAP_DONTUNMAP's move: the pages of [old, old+len) (one mapping) now live at
 * [to, to+len) (which must not overlap it), and the old range stays mapped as it
 * was, without pages: anonymous memory reads zeros again, a file mapping its file.
 * 0 or -errno. */
int guest_move_keep(GuestMem *m, uint64_t old, uint64_t len, uint64_t to);
/* Changes the protection of the mapped pages of the range (host and guest);
 * 0 or -errno (then the guest protection is unchanged). */
int guest_protect(GuestMem *m, uint64_t addr, uint64_t len, int prot);
/* Write-protects the host page of guest address addr for translated code (GPROT_CODE),
 * if the guest may write it and it is not protected yet. */
void guest_code_protect(GuestMem *m, uint64_t addr);
/* Gives the host page of addr back the guest's write permission when the guest may
 * write it; true (and the page logged) when it was protected for code. Async-signal-
 * safe: the host fault handler calls it. */
bool guest_code_unprotect(const GuestMem *m, uint64_t addr);

/* A vfork child (clone with CLONE_VM | CLONE_VFORK) is a forked process whose writes
 * its parent must see when it resumes, as if they shared memory (glibc's posix_spawn
 * reports a failed exec that way). The child write-protects its writable pages like
 * code pages, and every first write to one (through any of the paths that lift
 * GPROT_CODE) records the page and a copy of its bytes then; guest_dirty_finish
 * writes the bytes of each recorded page that differ from that copy, as runs (address,
 * length, bytes), to the descriptor fd, which the parent reads until the end mark (or
 * the end of the file: a child killed by a signal). Only changed bytes go because
 * vfork stops the calling thread alone: the parent's other threads go on writing, also
 * to the pages the child writes (Go spawns on a goroutine stack that shares its page
 * with other goroutines' stacks). Past 16384 recorded pages, every writable page goes
 * whole. */
void guest_track_writes(GuestMem *m, int fd);
/* Sends the pages written so far and an end mark, and stops tracking: before exit,
 * and before an exec that passed rvx's own checks (the parent need not wait for the
 * host to tear this process down; an exec that fails after all, E2BIG or ENOMEM,
 * is then reported to the parent by the exit status only). */
void guest_dirty_finish(GuestMem *m);
/* The parent's side: reads the child's pages from fd into its own memory until the
 * end mark or the end of the file. */
void guest_dirty_receive(GuestMem *m, int fd);
/* Stops tracking without sending (a child of the vfork child): closes fd. */
void guest_track_stop(GuestMem *m);
/* The descriptor the pages go to, -1 when not tracking: hidden from the guest (close
 * and close_range skip it, dup3 onto it moves it first with guest_dirty_fd_move). */
int guest_dirty_fd(const GuestMem *m);
void guest_dirty_fd_move(GuestMem *m);

/* Finds a free page-aligned range of len bytes, highest first below mmap_top (or at
 * `hint` when that range is free). Returns 0 when none. */
uint64_t guest_find_free(const GuestMem *m, uint64_t hint, uint64_t len);
bool guest_range_free(const GuestMem *m, uint64_t addr, uint64_t len);

/* Whether the page at addr, marked GPROT_BUS, is now backed by its file (the file
 * grew): then clears GPROT_BUS and returns true. Safe without the owner's lock (it
 * only clears the bit, and only if the byte did not change meanwhile). */
bool guest_bus_recheck(const GuestMem *m, uint64_t addr);

/* Host pointer to a guest range when every page of it has `prot` (and, when prot asks
 * for access, is backed: see GPROT_BUS), else NULL (the caller returns -EFAULT). A
 * pointer for writing lifts GPROT_CODE first, so the kernel may write there.
 * len 0 is valid for any address. */
void *guest_ptr(const GuestMem *m, uint64_t addr, uint64_t len, int prot);
/* Host pointer to a NUL-terminated guest string of at most max bytes, else NULL. */
const char *guest_str(const GuestMem *m, uint64_t addr, size_t max);
/* Why guest_str failed for a path: -ENAMETOOLONG when max bytes are readable (Linux's
 * getname), else -EFAULT. */
int guest_path_error(const GuestMem *m, uint64_t addr, size_t max);

/* Writes /proc/self/maps text for the guest mappings to out. */
void guest_write_maps(const GuestMem *m, FILE *out);
/* The bytes of all guest mappings (/proc/self/stat's vsize, RLIMIT_AS), and of
 * those that are private, writable and not a stack (RLIMIT_DATA's data_vm). */
void guest_mapped_sizes(const GuestMem *m, uint64_t *total, uint64_t *data);
/* Whether the mapping at addr is data (private, writable, not a stack). */
bool guest_is_data(const GuestMem *m, uint64_t addr);
/* The mapped bytes of [addr, addr+len) (what MAP_FIXED over it replaces). */
uint64_t guest_mapped_in(const GuestMem *m, uint64_t addr, uint64_t len);

#endif
