/* Internals shared by the DBT's exec files (dbt_exec.c, dbt_translate.c,
 * dbt_verify.c, dbt_codemem.c). See dbt.h for the life cycle. */
#ifndef RVX_EXEC_DBT_INTERNAL_H
#define RVX_EXEC_DBT_INTERNAL_H

#include "backend-x86_64/x64.h"
#include "exec/dbt.h"
#include "exec/page_index.h"
#include "frontend/lift.h"
#include "ir/ir.h"
#include "softmmu/fill_log.h"
#include "softmmu/tlb.h"

#define DBT_MAX_INSNS 64
#define DBT_MAX_FOLLOWED 4 /* jal and jalr targets a block goes on at (dbt_translate) */
/* Guest pages a block's instructions may come from: its own, those of jalr targets it
 * followed (user mode only) and one that its last instruction runs into. */
#define DBT_MAX_PAGES 4
/* Branches a block runs on past. 4 made python3 -c pass 26% slower when every block was
 * translated; with tiers it is level, and the other workloads moved within noise. */
#define DBT_MAX_SIDE_EXITS 2
_Static_assert(DBT_MAX_SIDE_EXITS + 2 <= IR_MAX_LINKS, "a block's edges: side exits and its terminator's");
/* Instructions an arm of an if-converted branch may hold (LiftArms): they run every
 * time, so only a few. */
#define DBT_MAX_ARM 3
#define DBT_HASH_BITS 15
#define DBT_JC_LOG 512
/* Jump cache entries (16 bytes each; a clear empties the ones filled since the last,
 * up to DBT_JC_LOG of them, else all). With 2^12 and 2^14, two hot targets of python3's bench.py shared
 * an entry and missed on every jump (406 K and 130 K refills from C per run); 2^16:
 * 1.5 K, lua and sqlite3 a few hundred. */
#define DBT_JC_BITS 16

/* A jump cache: from guest pc to the code of the block there, for the translation
 * flags it was filled under. */
typedef struct DbtJumpCache {
    uint64_t *entry;           /* [2 << DBT_JC_BITS]: {pc, code} pairs */
    /* The entries filled since the last clear, so that a clear touches only them:
     * system mode clears at every sfence.vma, after a few fills, and a whole clear
     * (1 MiB) each time took a third of a Linux boot. */
    uint32_t filled[DBT_JC_LOG];
    FillLog log;
    uint32_t flags;
} DbtJumpCache;

/* Where a faulting instruction's state is restored from (generated code returns a
 * pointer to it, plus 1). */
typedef struct DbtInsnRec {
    uint64_t pc;
    /* instructions of the block before this one; those that completed, but for the
     * arms of if-converted branches that did not run (LiftArms), which generated code
     * has already taken back from instret */
    uint32_t index;
    uint32_t len;
} DbtInsnRec;

struct DbtTb;
/* What generated code returns for a chainable exit: the block and edge to patch. */
typedef struct DbtLink {
    struct DbtTb *tb;
    uint32_t edge;
} DbtLink;

typedef struct DbtTb {
    uint64_t pc;
    uintptr_t host;            /* host address of the first instruction byte */
    uint64_t end_pc;
    uint32_t flags;            /* lift_flags() it was translated for */
    uint32_t n_insns;
    bool valid;
    struct DbtTb *hash_next;
    uintptr_t code;            /* entry (rx) */
    IrTbCode out;              /* link sites, entry exit, size */
    DbtLink link[IR_MAX_LINKS];
    DbtInsnRec *rec;           /* [n_insns] */
    RvInsn *insn;              /* [n_insns], for --verify and -d */
    LiftArms *arms;            /* [n_insns], the if-converted branches (LiftBlock) */
    InterpInsn (*fallback)[2]; /* [n_insns], storage for interpreter fallbacks */
} DbtTb;

/* Code memory (dbt_codemem.c): W^X by two views of the same memory; writers use
 * buf.rw, execution buf.rx. */
typedef struct DbtCodeMem {
    CodeBuf buf;
    struct DbtCodeMem *next;   /* live code memories (remapped in a forked child) */
} DbtCodeMem;

bool dbt_codemem_init(DbtCodeMem *m, size_t size);
void dbt_codemem_destroy(DbtCodeMem *m);
/* The calling thread's next fork makes a child that never runs translated code: it
 * gets no copy of any code memory (their views stay shared with the parent, so the
 * child must not touch them: exec_vfork_child). */
void dbt_codemem_next_fork_without_code(void);

/* A host load on flat guest memory that may fault, and its slow path (absolute rx
 * addresses; dbt_fault.c). */
typedef struct DbtFaultSite {
    uintptr_t at, resume;
} DbtFaultSite;

struct DbtCtx {
    unsigned log;
    bool verify;
    bool chain;                /* off for --verify and -d exec: every block returns */
    uint32_t threshold;        /* runs in the interpreter before translation (ExecOptions) */
    DbtCodeMem mem;
    X64Backend be;
    uint8_t *data;             /* bump arena for DbtTb and its arrays */
    size_t data_size, data_used;
    DbtTb *bucket[1u << DBT_HASH_BITS];
    PageIndex pages;           /* physical page -> its blocks */
    /* One jump cache per TLB context (the flags' LIFT_FLAG_TLB), so that a trap and
     * its return keep both sides' caches; generated code uses its own context's. */
    DbtJumpCache jc[TLB_CONTEXTS];
    uint64_t jc_satp;          /* the address space they were filled in (system mode) */
    uint64_t generation;       /* bumped by every flush: pending links die */
    IrBlock ir, ir_alloc;      /* scratch blocks of the translator */
    IrFaultSite block_sites[IR_MAX_FAULT_SITES]; /* the backend's output for one block */
    DbtFaultSite *sites;       /* of every live block, sorted (code is appended) */
    size_t n_sites, cap_sites;
    struct DbtVerify *vfy;     /* --verify state (dbt_verify.c) */
    uint64_t n_translated, n_flushes, n_verified, n_entered, n_chained;
    /* why translated code came back to the exec loop: an unchained direct jump, an
     * indirect jump the jump cache missed (or an exit op), a guest exception, an
     * rvx-internal exit (fence.i, code written, translation change, wfi) */
    uint64_t n_back_link, n_back_indirect, n_back_exception, n_back_internal;
    uint64_t n_jump_lookups;   /* jump cache misses served from translated code */
};

/* dbt_translate.c */
DbtTb *dbt_lookup(DbtCtx *d, uint64_t pc, uintptr_t host, uint32_t flags);
/* The jump cache of blocks translated for `flags`, and emptying one. */
DbtJumpCache *dbt_jump_cache_for(DbtCtx *d, uint32_t flags);
void dbt_jump_cache_empty(DbtJumpCache *jc);
/* Translates the block at pc (fetching through host); NULL with h->exc set on a fetch
 * fault. May flush everything when memory runs out. */
DbtTb *dbt_translate(Hart *h, DbtCtx *d, uint64_t pc, uint32_t flags);

/* dbt_fault.c: records the fault sites of tb (just emitted); false when out of memory. */
void dbt_fault_sites_add(DbtCtx *d, const DbtTb *tb);
/* Marks d as the context whose generated code this thread runs (NULL: none). */
void dbt_fault_enter(DbtCtx *d);
void dbt_fault_leave(DbtCtx *d);   /* d is going away */

/* dbt_verify.c: runs tb on the hart with the DBT and checks it against the
 * interpreter; returns the generated code's exit word. Exits the process with a
 * report at the first difference. */
uintptr_t dbt_verify_run(Hart *h, DbtCtx *d, DbtTb *tb);
void dbt_verify_destroy(DbtCtx *d);

#endif
