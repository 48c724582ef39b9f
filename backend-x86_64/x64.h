/* The x86-64 backend: turns register-allocated IR blocks into host code in a CodeBuf,
 * following the contract of ir/ir_target.h. Host conventions (SysV):
 *   rbx      guest state pointer for as long as generated code runs
 *   rbp, r12-r15   pinned hot guest state slots (IrGuestAbi.pinned_slot), callee-saved
 *                  so C calls keep them; written back at every exit and around the
 *                  interpreter fallback
 *   rsi, rdi, r8-r11 (+ unused pinned registers)   allocatable
 *   rax, rcx, rdx    scratch of the emitters (never hold IR values)
 *   xmm0-xmm5        scratch of the fp emitters
 *   xmm15            the counter slot (IrGuestAbi.counter_slot, instret): blocks add
 *                    to it with paddq from a table of constants, a chain of one-cycle
 *                    adds instead of a memory add's store-to-load forwarding
 *   [rsp + 8k]       spill slot k
 *   MXCSR            default mode (RNE, all exceptions masked); its sticky flags are
 *                    the guest's fp flags raised by inline FP code and not yet ORed into
 *                    the flags word (IrGuestAbi.fflag): cleared on entry and after the
 *                    instruction fallback, harvested at every exit and before the fallback
 * Blocks start with the exit-request test (patched to a jump when the block is
 * invalidated), chain through patchable rel32 jumps and leave through one shared
 * epilogue emitted at the start of the buffer with the entry trampoline. */
#ifndef RVX_BACKEND_X86_64_X64_H
#define RVX_BACKEND_X86_64_X64_H

#include <stdio.h>

#include "ir/ir_regalloc.h"
#include "ir/ir_target.h"

/* Runs generated code at `code` for state `state`; returns the exit word. */
typedef uintptr_t (*X64EnterFn)(void *state, uintptr_t code);

/* A block that loops inside itself (x64_plan): guest register slots it keeps in host
 * registers from its start until it leaves (its gets and sets become register moves,
 * and every way out stores the written ones back), and the pinned registers of slots
 * it never touches, which it borrows (their slots hold them meanwhile: stored on
 * entry, loaded again on every way out). */
enum { X64_MAX_LOOP_PINS = 10 };
typedef struct X64LoopPins {
    bool active;                  /* the block loops inside itself */
    uint8_t n;
    int32_t slot[X64_MAX_LOOP_PINS];
    int8_t reg[X64_MAX_LOOP_PINS];
    bool written[X64_MAX_LOOP_PINS];
    uint8_t n_borrowed;
    int32_t borrowed_slot[IR_MAX_PINNED];
    int8_t borrowed_reg[IR_MAX_PINNED];
} X64LoopPins;

typedef struct X64Backend {
    CodeBuf *code;
    IrGuestAbi abi;
    IrHostRegs regs;              /* what ir_regalloc may use */
    uint8_t n_pinned;
    int8_t pinned_reg[IR_MAX_PINNED];
    X64LoopPins loop;             /* of the block being translated (x64_plan) */
    IrHostRegs loop_regs;         /* what ir_regalloc may use beside them */
    bool has_fma;                 /* host FMA3 (cpuid): fp multiply-adds may be inline */
    bool has_bmi2;                /* host BMI2: rotates by constants into another register */
    X64EnterFn enter;
    uintptr_t epilogue;           /* rx address */
    uintptr_t flat_limit;         /* rx address of the 8-byte 2^abi.flat_bits */
    uintptr_t counter_addends;    /* rx address of 16-byte {n, 0} for n = 0..COUNTER_ADDENDS-1 */
    uintptr_t mxcsr_default;      /* rx address of the 32-bit MXCSR value blocks run with */
    uintptr_t fflags_map;         /* rx address of 64 bytes: MXCSR flags -> guest flag bits */
    uintptr_t harvest_fflags;     /* rx address of the stub ORing MXCSR's flags into the word */
    uintptr_t load_stub, store_stub; /* rx addresses of the slow paths' shared parts */
    size_t blocks_start;          /* code->used after the trampolines */
} X64Backend;

/* Emits the trampolines at the start of `code` (which must be empty). */
bool x64_backend_init(X64Backend *be, CodeBuf *code, const IrGuestAbi *abi);
/* Drops every block, keeping the trampolines. */
void x64_backend_reset(X64Backend *be);
/* Plans the block `b` (optimised, not yet allocated) for tb: when it may loop inside
 * itself, the slots it keeps in host registers (be->loop). Returns the registers
 * ir_regalloc may give its values; x64_codegen of the allocated block follows. */
const IrHostRegs *x64_plan(X64Backend *be, const IrBlock *b, const IrTbCode *tb);
/* Emits `b` (register-allocated as x64_plan said) at the current end of the buffer.
 * Returns the rx address of its entry, or 0 when the buffer is full. */
uintptr_t x64_codegen(X64Backend *be, const IrBlock *b, IrTbCode *tb);
/* Makes the block entering at entry_rx exit at once, at its entry or its loop head. */
void x64_invalidate(X64Backend *be, uintptr_t entry_rx, const IrTbCode *tb);
/* Points chainable edge site (offset from the block entry) at another block. */
void x64_link(X64Backend *be, uintptr_t entry_rx, uint32_t site_off, uintptr_t target_rx);

/* Host disassembly for -d out_asm (capstone). */
void x64_disas(FILE *out, const uint8_t *code, size_t size, uint64_t addr);

#endif
