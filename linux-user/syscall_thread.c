/* Threads and processes: clone (a guest thread is a host pthread with its own hart
 * and exec context; without CLONE_VM, clone is fork), thread exit with
 * CLONE_CHILD_CLEARTID and the robust futex list, exit_group, and futex on guest
 * memory (the guest word is host memory at base + address, so the host futex serves
 * it directly, and guest thread ids are host thread ids, which PI futexes rely on). */
#define _GNU_SOURCE
#include "linux-user/syscall.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <semaphore.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec.h"
#include "softmmu/mem.h"

enum {
    G_CLONE_VM = 0x100, G_CLONE_VFORK = 0x4000, G_CLONE_THREAD = 0x10000,
    G_CLONE_SETTLS = 0x80000, G_CLONE_PARENT_SETTID = 0x100000,
    G_CLONE_CHILD_CLEARTID = 0x200000, G_CLONE_CHILD_SETTID = 0x1000000,
};

static void unlink_thread(Process *p, UserThread *t)
{
    for (UserThread **pp = &p->threads; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            break;
        }
}

/* ---- robust futex lists (kernel/futex/core.c, exit_robust_list) ---- */

/* struct robust_list_head of a 64-bit guest: the list (a next pointer), the offset
 * from an entry to its futex word, and the entry being locked or unlocked. */
typedef struct GuestRobustHead {
    uint64_t next;
    int64_t futex_offset;
    uint64_t op_pending;
} GuestRobustHead;

/* Reads a list pointer; bit 0 marks a PI futex. False when unreadable. */
static bool robust_entry(Process *p, uint64_t at, uint64_t *entry, bool *pi)
{
    const uint64_t *w = guest_ptr(&p->mem, at, 8, GPROT_READ);
    if (!w)
        return false;
    uint64_t v = __atomic_load_n(w, __ATOMIC_RELAXED);
    *entry = v & ~1ull;
    *pi = v & 1;
    return true;
}

/* handle_futex_death: the futex at uaddr, if owned by the dying tid, gets
 * FUTEX_OWNER_DIED (and no owner), and one waiter is woken so that its lock call
 * returns EOWNERDEAD. A PI futex's waiter is woken by the host kernel when the host
 * thread exits (it owns the PI state). False when the word is unreachable. */
static bool futex_owner_died(Process *p, uint64_t uaddr, pid_t tid, bool pi, bool pending)
{
    if (uaddr & 3)
        return false;
    uint32_t *word = guest_ptr(&p->mem, uaddr, 4, GPROT_READ | GPROT_WRITE);
    if (!word)
        return false;
    uint32_t val = __atomic_load_n(word, __ATOMIC_SEQ_CST);
    for (;;) {
        pid_t owner = (pid_t)(val & FUTEX_TID_MASK);
        if (pending && !pi && owner == 0) {
            /* Died between unlocking and removing the entry: pass the wake on. */
            syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
            return true;
        }
        if (owner != tid)
            return true;
        uint32_t died = (val & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        if (__atomic_compare_exchange_n(word, &val, died, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST))
            break;
    }
    /* Shared wake, as the kernel does: glibc waits on robust mutexes without
     * FUTEX_PRIVATE_FLAG for exactly this reason. */
    if (!pi && (val & FUTEX_WAITERS))
        syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
    return true;
}

static void robust_list_release(Process *p, UserThread *t)
{
    uint64_t head = t->robust_list;
    t->robust_list = 0;
    const GuestRobustHead *h = guest_ptr(&p->mem, head, sizeof *h, GPROT_READ);
    if (!head || !h)
        return;
    uint64_t entry, pending;
    bool pi, pending_pi;
    int64_t offset = h->futex_offset;
    if (!robust_entry(p, head, &entry, &pi) ||
        !robust_entry(p, head + offsetof(GuestRobustHead, op_pending), &pending, &pending_pi))
        return;
    /* Bounded like Linux (ROBUST_LIST_LIMIT): a looping list ends the walk. */
    for (int limit = ROBUST_LIST_LIMIT; entry != head && limit > 0; limit--) {
        uint64_t next;
        bool next_pi;
        bool more = robust_entry(p, entry, &next, &next_pi);
        /* The pending entry is handled last, as a pending operation. */
        if (entry != pending && !futex_owner_died(p, entry + (uint64_t)offset, t->tid, pi, false))
            return;
        if (!more)
            return;
        entry = next;
        pi = next_pi;
    }
    if (pending)
        futex_owner_died(p, pending + (uint64_t)offset, t->tid, pending_pi, true);
}

void robust_lists_release(Process *p, UserThread *self, bool group)
{
    robust_list_release(p, self);
    if (!group)
        return;
    pthread_mutex_lock(&p->lock);
    for (UserThread *o = p->threads; o; o = o->next)
        robust_list_release(p, o);
    pthread_mutex_unlock(&p->lock);
}

SYSCALL_HANDLER(set_robust_list)
{
    if (a[1] != sizeof(GuestRobustHead))
        return -EINVAL;
    THREAD->robust_list = a[0];
    return 0;
}

SYSCALL_HANDLER(get_robust_list)
{
    UserThread *t = a[0] == 0 ? THREAD : NULL;
    pthread_mutex_lock(&p->lock);
    for (UserThread *o = p->threads; o && !t; o = o->next)
        if (o->tid == (pid_t)a[0])
            t = o;
    uint64_t head = t ? t->robust_list : 0;
    pthread_mutex_unlock(&p->lock);
    if (!t)
        return -ESRCH; /* another process's list is not ours to read */
    uint64_t *head_ptr = GPTR(a[1], 8, GPROT_WRITE);
    uint64_t *len_ptr = GPTR(a[2], 8, GPROT_WRITE);
    if (!head_ptr || !len_ptr)
        return -EFAULT;
    *len_ptr = sizeof(GuestRobustHead);
    *head_ptr = head;
    return 0;
}

/* ---- exit ---- */

void thread_exit(Process *p, UserThread *t, int status, bool group)
{
    /* Before clear_child_tid, as in the kernel (exit_mm_release). */
    robust_lists_release(p, t, group);
    pthread_mutex_lock(&p->lock);
    int others = p->n_threads - 1;
    pthread_mutex_unlock(&p->lock);
    if (group || others == 0) {
        guest_dirty_finish(&p->mem); /* a vfork child's last writes, for its parent */
        if (!t->is_main) {
            /* The main thread may be blocked in a host call: end everything now. */
            fflush(NULL);
            _exit(group ? status : p->leader_status);
        }
        /* The main thread returns to cmd_run (which may report statistics); the
         * others stop at their next block boundary, or die blocked at process exit. */
        pthread_mutex_lock(&p->lock);
        p->group_exit = 1;
        for (UserThread *o = p->threads; o; o = o->next)
            o->hart.exit_request = 1;
        pthread_mutex_unlock(&p->lock);
        syscall_exit.exited = 1;
        syscall_exit.status = status;
        return;
    }
    /* Only this thread ends. Its host signals must go to the remaining threads. */
    uint64_t all = ~0ull;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, 8);
    if (t->clear_child_tid) {
        uint32_t *tid = guest_ptr(&p->mem, t->clear_child_tid, 4, GPROT_WRITE);
        if (tid) {
            __atomic_store_n(tid, 0, __ATOMIC_SEQ_CST);
            syscall(SYS_futex, tid, FUTEX_WAKE, 1, NULL, NULL, 0);
        }
    }
    pthread_mutex_lock(&p->lock);
    unlink_thread(p, t);
    bool last = --p->n_threads == 0;
    if (t->is_main)
        p->leader_status = status;
    pthread_mutex_unlock(&p->lock);
    if (last) {
        /* Raced with the others' exits: this one ends the process. */
        fflush(NULL);
        _exit(p->leader_status);
    }
    if (t->is_main)
        pthread_exit(NULL); /* the process lives on in its other threads */
    exec_destroy(&t->hart);
    free(t);
    pthread_exit(NULL);
}

SYSCALL_HANDLER(exit)
{
    thread_exit(p, THREAD, (int)(a[0] & 0xff), false);
    return 0;
}
SYSCALL_HANDLER(exit_group)
{
    thread_exit(p, THREAD, (int)(a[0] & 0xff), true);
    return 0;
}

typedef struct ThreadStart {
    Process *p;
    UserThread *t;
    uint64_t flags, ptid, ctid;
    pid_t tid;       /* the child's, for clone to return (t may be gone by then) */
    sem_t ready;
} ThreadStart;

static void *thread_main(void *arg)
{
    ThreadStart *s = arg;
    Process *p = s->p;
    UserThread *t = s->t;
    t->tid = s->tid = gettid();
    if (s->flags & G_CLONE_PARENT_SETTID) {
        int32_t *ptid = guest_ptr(&p->mem, s->ptid, 4, GPROT_WRITE);
        if (ptid)
            *ptid = t->tid;
    }
    if (s->flags & G_CLONE_CHILD_SETTID) {
        int32_t *ctid = guest_ptr(&p->mem, s->ctid, 4, GPROT_WRITE);
        if (ctid)
            *ctid = t->tid;
    }
    /* Signals were blocked across pthread_create; from here the handler knows us. */
    user_signal_thread_start(t);
    user_signal_set_mask(t, t->sig_blocked);
    sem_post(&s->ready); /* s belongs to the parent from here on */
    int status = process_run(p, &t->hart);
    /* Only a fatal signal without a handler ends process_run of a thread. */
    fflush(NULL);
    _exit(status);
    return NULL;
}

static int64_t clone_thread(Process *p, Hart *h, uint64_t flags, uint64_t newsp, uint64_t ptid,
                            uint64_t tls, uint64_t ctid)
{
    UserThread *parent = THREAD;
    UserThread *t = calloc(1, sizeof *t);
    if (!t)
        return -ENOMEM;
    t->hart = *h;
    exec_init(&t->hart); /* own TB cache, code pages and TLB */
    t->hart.exit_request = 0;
    t->hart.x[10] = 0;
    t->hart.pc = h->pc + 4;
    t->hart.resv_addr = RV_NO_RESERVATION;
    if (newsp)
        t->hart.x[2] = newsp;
    if (flags & G_CLONE_SETTLS)
        t->hart.x[4] = tls;
    t->proc = p;
    t->sig_blocked = parent->sig_blocked; /* the alternate stack is not inherited */
    t->clear_child_tid = (flags & G_CLONE_CHILD_CLEARTID) ? ctid : 0;
    t->map_gen = parent->map_gen;
    t->code_gen = parent->code_gen;

    ThreadStart s = {.p = p, .t = t, .flags = flags, .ptid = ptid, .ctid = ctid};
    sem_init(&s.ready, 0, 0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    uint64_t all = ~0ull, old;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
    pthread_mutex_lock(&p->lock);
    t->next = p->threads->next; /* after main, so the list head stays the main thread */
    p->threads->next = t;
    p->n_threads++;
    pthread_t thread;
    int err = pthread_create(&thread, &attr, thread_main, &s);
    if (err) {
        unlink_thread(p, t);
        p->n_threads--;
    }
    /* glibc's first pthread_create installs its own handlers for the two signals it
     * keeps (32, 33: cancellation and set*id broadcasts), over the guest's: put the
     * guest's back while every signal is still blocked here (a set*id broadcast of
     * the guest's libc otherwise runs the host's handler, which crashes). */
    user_signal_apply_action(p, 32);
    user_signal_apply_action(p, 33);
    pthread_mutex_unlock(&p->lock);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
    pthread_attr_destroy(&attr);
    if (err) {
        exec_destroy(&t->hart);
        free(t);
        sem_destroy(&s.ready);
        return -EAGAIN;
    }
    while (sem_wait(&s.ready) < 0) {
        /* EINTR from our own handler: the signal is delivered after clone returns. */
    }
    sem_destroy(&s.ready);
    return s.tid;
}

/* clone without CLONE_VM is fork: the host process (emulator and guest memory) is
 * copied. CLONE_VM | CLONE_VFORK (vfork, posix_spawn) is a fork whose parent waits
 * until the child execs or exits and takes the child's writes (guest_track_writes),
 * so that both see one memory as far as the parent can tell. */
static int64_t clone_process(Process *p, Hart *h, uint64_t flags, uint64_t newsp, uint64_t ptid,
                             uint64_t tls, uint64_t ctid)
{
    UserThread *t = THREAD;
    bool vfork = (flags & G_CLONE_VM) && (flags & G_CLONE_VFORK);
    int writes[2] = {-1, -1};
    if (vfork && pipe2(writes, O_CLOEXEC) < 0)
        return -errno;
    if (vfork)
        exec_vfork_prepare(h);
    fflush(NULL);
    pthread_mutex_lock(&p->lock); /* no other thread is mid-change in the child's copy */
    pid_t pid = fork();
    int fork_errno = errno;
    if (pid != 0) {
        pthread_mutex_unlock(&p->lock);
        if (vfork) {
            close(writes[1]);
            if (pid > 0)
                guest_dirty_receive(&p->mem, writes[0]); /* waits, as on Linux */
            close(writes[0]);
        }
        if (pid < 0)
            return -fork_errno;
        if (flags & G_CLONE_PARENT_SETTID) {
            int32_t *pt = GPTR(ptid, 4, GPROT_WRITE);
            if (pt)
                *pt = pid;
        }
        return pid;
    }
    /* The child: only this thread exists. A vfork child's own children do not keep
     * its parent waiting. */
    guest_track_stop(&p->mem);
    if (vfork) {
        close(writes[0]);
        exec_vfork_child(h);
        guest_track_writes(&p->mem, writes[1]);
        mem_tlb_flush(h);
    }
    pthread_mutex_init(&p->lock, NULL);
    code_log_after_fork(&p->code_log);
    t->tid = gettid();
    t->next = NULL;
    t->is_main = true;
    p->threads = t;
    p->n_threads = 1;
    if (flags & G_CLONE_SETTLS)
        h->x[4] = tls;
    if (newsp)
        h->x[2] = newsp;
    if (flags & G_CLONE_CHILD_SETTID) {
        int32_t *ct = GPTR(ctid, 4, GPROT_WRITE);
        if (ct)
            *ct = t->tid;
    }
    t->clear_child_tid = (flags & G_CLONE_CHILD_CLEARTID) ? ctid : 0;
    t->robust_list = 0; /* a new process starts without one (glibc sets it again) */
    /* Nor with the parent's pending signals: those recorded here are the parent's,
     * and a real-time one held back on the host (user_signal.c) is free again. */
    __atomic_store_n(&t->sig_pending, 0, __ATOMIC_SEQ_CST);
    user_signal_set_mask(t, t->sig_blocked);
    return 0;
}

SYSCALL_HANDLER(clone)
{
    /* riscv64 argument order (CLONE_BACKWARDS): flags, newsp, ptid, tls, ctid. */
    uint64_t flags = a[0];
    if ((flags & G_CLONE_VM) && !(flags & G_CLONE_VFORK))
        return clone_thread(p, h, flags, a[1], a[2], a[3], a[4]);
    if (flags & G_CLONE_THREAD)
        return -EINVAL; /* CLONE_THREAD requires CLONE_VM (and CLONE_SIGHAND) */
    return clone_process(p, h, flags, a[1], a[2], a[3], a[4]);
}

/* clone3: glibc falls back to clone on ENOSYS, as for kernels before 5.3. */
SYSCALL_HANDLER(clone3) { return -ENOSYS; }

SYSCALL_HANDLER(set_tid_address)
{
    THREAD->clear_child_tid = a[0];
    return THREAD->tid;
}

/* glibc then runs without restartable sequences (__rseq_size 0), as on Linux < 4.18. */
SYSCALL_HANDLER(rseq) { return -ENOSYS; }

SYSCALL_HANDLER(futex)
{
    int op = (int)a[1];
    int cmd = op & FUTEX_CMD_MASK;
    if (a[0] & 3)
        return -EINVAL;
    uint32_t *uaddr = GPTR(a[0], 4, GPROT_READ);
    if (!uaddr)
        return -EFAULT;
    switch (cmd) {
    case FUTEX_WAIT: case FUTEX_WAIT_BITSET: case FUTEX_LOCK_PI: case FUTEX_LOCK_PI2:
    case FUTEX_WAIT_REQUEUE_PI: {
        const struct timespec *ts = NULL;
        if (a[3] && !(ts = GPTR(a[3], sizeof *ts, GPROT_READ)))
            return -EFAULT;
        uint32_t *uaddr2 = NULL;
        if (cmd == FUTEX_WAIT_REQUEUE_PI && !(uaddr2 = GPTR(a[4], 4, GPROT_READ)))
            return -EFAULT;
        return host_ret(syscall(SYS_futex, uaddr, op, (uint32_t)a[2], ts, uaddr2, (uint32_t)a[5]));
    }
    case FUTEX_WAKE: case FUTEX_WAKE_BITSET: case FUTEX_UNLOCK_PI: case FUTEX_TRYLOCK_PI:
        return host_ret(syscall(SYS_futex, uaddr, op, (uint32_t)a[2], NULL, NULL, (uint32_t)a[5]));
    case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE: case FUTEX_WAKE_OP: case FUTEX_CMP_REQUEUE_PI: {
        uint32_t *uaddr2 = GPTR(a[4], 4, GPROT_READ);
        if (!uaddr2 || (a[4] & 3))
            return uaddr2 ? -EINVAL : -EFAULT;
        /* The fourth argument is a count here (val2), not a pointer. */
        return host_ret(syscall(SYS_futex, uaddr, op, (uint32_t)a[2], (unsigned long)a[3],
                                uaddr2, (uint32_t)a[5]));
    }
    default:
        return -ENOSYS;
    }
}

SYSCALL_HANDLER(membarrier)
{
    /* Every guest thread is a host thread in this process: the host call covers them. */
    return host_ret(syscall(SYS_membarrier, (int)a[0], (unsigned)a[1], (int)a[2]));
}
