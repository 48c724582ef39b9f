/* Disassembler: turns one instruction into the exact text GNU objdump 2.40
 * (`riscv64-linux-gnu-objdump -d`, default options, i.e. with aliases) prints for it:
 * mnemonic, a TAB, then comma-separated operands ("addi\tsp,sp,-16" prints as objdump
 * 2.40 prints it: "add\tsp,sp,-16").
 *
 * Invariants / conventions:
 *  - 16-bit instructions are printed from insn->raw (objdump has its own compressed
 *    table, with hints such as `c.li zero,5` and reserved forms objdump still prints),
 *    32-bit ones from the decoded fields; both only need insn->raw and insn->len to be
 *    right, plus insn->op for 32-bit forms.
 *  - Branch/jump targets and "# addr" comments are printed as bare lowercase hex with
 *    no 0x and no symbol (objdump appends " <sym+off>" when the file has symbols and
 *    prints "0x..." when it has none); a caller that wants either supplies
 *    RvDisasCtx.print_addr. The last target is reported in ctx->target.
 *  - Encodings objdump does not know print as ".2byte\t0x..." / ".4byte\t0x...".
 *  - rv_disas() is stateless. objdump also remembers lui/auipc results per register
 *    and appends " # <address>" to a later addi/addiw/load/store/jalr based on that
 *    register (and on tp, zero, gp): rv_disas_ex() with ctx->track_addr reproduces
 *    that, which is only meaningful when instructions are fed in address order. */
#ifndef RVX_FRONTEND_DISAS_H
#define RVX_FRONTEND_DISAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frontend/rv_insn.h"

/* Optional extensions objdump prints by name only when the ELF's arch attribute
 * names them (otherwise it prints .4byte, or for pause `fence w,unknown`). */
enum {
    RV_DISAS_EXT_ZBA = 1u << 0,
    RV_DISAS_EXT_ZBB = 1u << 1,
    RV_DISAS_EXT_ZBC = 1u << 2,
    RV_DISAS_EXT_ZBS = 1u << 3,
    RV_DISAS_EXT_ZICOND = 1u << 4,      /* unknown to objdump 2.40: never set when mimicking it */
    RV_DISAS_EXT_ZIHINTPAUSE = 1u << 5,
    RV_DISAS_EXT_ZICBOM = 1u << 6,
    RV_DISAS_EXT_ZICBOZ = 1u << 7,
    RV_DISAS_EXT_ZBKB = 1u << 8,        /* shares rol/ror/rev8/andn... with Zbb in objdump */
    RV_DISAS_EXT_ZBKC = 1u << 9,        /* shares clmul/clmulh with Zbc */
    RV_DISAS_EXT_ALL = 0x3ffu,
};

/* Privileged-spec versions; they only change CSR names (e.g. ustatus exists < 1.12). */
enum {
    RV_DISAS_PRIV_1_9 = 1, RV_DISAS_PRIV_1_10 = 2, RV_DISAS_PRIV_1_11 = 4, RV_DISAS_PRIV_1_12 = 8,
    RV_DISAS_PRIV_ALL = 15,
};

typedef struct RvDisasCtx {
    /* configuration */
    uint32_t ext;        /* RV_DISAS_EXT_* the binary's arch attribute enables */
    uint32_t priv;       /* one RV_DISAS_PRIV_* (objdump default: 1.12) */
    bool track_addr;     /* emit objdump's " # addr" comments (stateful, see above) */
    bool has_gp;         /* __global_pointer$ is known: gp-relative comments */
    uint64_t gp;
    /* prints an absolute address (targets, comments); NULL = "%" PRIx64 */
    void (*print_addr)(void *opaque, uint64_t addr, char *buf, size_t size);
    void *print_addr_opaque;
    /* state for track_addr: value of the last lui/auipc/c.lui per register */
    uint64_t hi_addr[32];
    uint32_t hi_valid;   /* bit r set: hi_addr[r] is live */
    /* outputs of the last call */
    bool has_target;     /* branch/jump: target address in `target` */
    uint64_t target;
    bool has_comment;    /* a " # addr" comment was printed for `comment_addr` */
    uint64_t comment_addr;
} RvDisasCtx;

/* Defaults: every extension rvx decodes, priv 1.12, no address tracking. */
void rv_disas_ctx_init(RvDisasCtx *ctx);

/* Formats `insn` (fetched at `pc`) into buf (always NUL-terminated when size > 0).
 * Returns the length of the full text (like snprintf). */
int rv_disas_ex(RvDisasCtx *ctx, const RvInsn *insn, uint64_t pc, char *buf, size_t size);

/* Stateless form with the defaults above. */
int rv_disas(const RvInsn *insn, uint64_t pc, char *buf, size_t size);

/* Parses an ELF Tag_RISCV_arch string ("rv64i2p1_m2p0_..._zba1p0") into RV_DISAS_EXT_*
 * bits the way objdump 2.40 would enable them (Zicond never: 2.40 does not know it). */
uint32_t rv_disas_ext_from_arch(const char *arch);

/* Name objdump gives CSR `csr` under priv version `priv`, or NULL (printed as 0x%x). */
const char *rv_disas_csr_name(unsigned csr, uint32_t priv);

#endif
