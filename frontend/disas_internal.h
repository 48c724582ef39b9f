/* Shared between the disassembler's files (disas.c: operands, 32-bit rules, CSRs;
 * disas_rvc.c: 16-bit rules). Not part of the public API (see disas.h). */
#ifndef RVX_FRONTEND_DISAS_INTERNAL_H
#define RVX_FRONTEND_DISAS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frontend/disas.h"

/* snprintf-like accumulator: `len` keeps counting past `size` so callers learn the
 * full length; the text is truncated but always NUL-terminated. */
typedef struct DisasOut {
    char *buf;
    size_t size;
    size_t len;
} DisasOut;

void disas_out(DisasOut *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints `name`, then the operands `args` (objdump-style letters, see disas.c) of raw
 * word `w` at `pc`, then any " # addr" comment the operands produced. */
void disas_emit(RvDisasCtx *ctx, DisasOut *o, const char *name, const char *args, uint32_t w,
                uint64_t pc);

/* Each returns false when objdump has no entry for the encoding (caller prints .Nbyte). */
bool disas16(RvDisasCtx *ctx, DisasOut *o, uint32_t w, uint64_t pc);
bool disas32(RvDisasCtx *ctx, DisasOut *o, const RvInsn *d, uint64_t pc);
bool disas_csr(RvDisasCtx *ctx, DisasOut *o, const RvInsn *d, uint64_t pc);

int32_t disas_c_addi4spn_imm(uint32_t w);
int32_t disas_c_addi16sp_imm(uint32_t w);
int32_t disas_c_lui_imm6(uint32_t w);

#endif
