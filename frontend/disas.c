/* Disassembler core: operand printer, context, CSR names and the 32-bit alias rules.
 * Compressed (16-bit) rules live in disas_rvc.c.
 *
 * How objdump 2.40 chooses the text (and therefore how we do): it walks its opcode table
 * in order and prints the first entry whose mask/match (plus a few predicates) fits and
 * whose extension the binary's arch attribute enables. Each rule below is that "first
 * fit" for one of our ops, written as plain conditions on the fields. Some results are
 * surprising but real: in 2.40 the immediate aliases `add/and/or/xor/sll/srl/sra/addw/
 * sllw/...  d,s,imm` sit before `addi/andi/...`, so objdump prints `add a0,a0,5` for
 * addi and `sll a0,a0,0x3` for slli; csrrwi/csrrsi/csrrci print as csrrw/csrrs/csrrc
 * with a decimal immediate; fcvt.d.w/fcvt.d.wu/fcvt.d.s print only with rm=0.
 *
 * Operands are described by objdump-style argument strings ("d,s,j", "t,q(s)") and
 * printed by one interpreter (disas_args) from the raw encoding, so every rule shares
 * one set of operand formats, including the stateful "# addr" comment logic. */
#include "frontend/disas.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "frontend/disas_internal.h"

static const char *const gpr_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};
static const char *const fpr_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3",
    "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11",
    "ft8", "ft9", "ft10", "ft11",
};
/* objdump prints "unknown" for the reserved rounding modes and an empty fence set. */
static const char *const rm_names[8] = {"rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn"};
static const char *const fence_sets[16] = {
    "unknown", "w", "r", "rw", "o", "ow", "or", "orw", "i", "iw", "ir", "irw", "io", "iow", "ior", "iorw",
};

/* ---- output buffer: like snprintf, keeps counting past the end ---- */

void disas_out(DisasOut *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->size ? o->size - o->len : 0;
    int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

static void out_addr(RvDisasCtx *ctx, DisasOut *o, uint64_t addr)
{
    if (ctx->print_addr) {
        char tmp[256];
        ctx->print_addr(ctx->print_addr_opaque, addr, tmp, sizeof tmp);
        disas_out(o, "%s", tmp);
    } else {
        disas_out(o, "%" PRIx64, addr);
    }
}

/* ---- immediate extraction from raw encodings ---- */

static inline int64_t sext(uint64_t v, int bits) { return (int64_t)(v << (64 - bits)) >> (64 - bits); }
static inline uint32_t bits(uint32_t v, int hi, int lo) { return (v >> lo) & ((1u << (hi - lo + 1)) - 1); }
static inline uint32_t bit(uint32_t v, int n) { return (v >> n) & 1; }

static int32_t imm_i(uint32_t w) { return (int32_t)sext(w >> 20, 12); }
static int32_t imm_s(uint32_t w) { return (int32_t)sext(bits(w, 31, 25) << 5 | bits(w, 11, 7), 12); }
static int64_t imm_b(uint32_t w)
{
    return sext(bit(w, 31) << 12 | bit(w, 7) << 11 | bits(w, 30, 25) << 5 | bits(w, 11, 8) << 1, 13);
}
static int64_t imm_j(uint32_t w)
{
    return sext(bit(w, 31) << 20 | bits(w, 19, 12) << 12 | bit(w, 20) << 11 | bits(w, 30, 21) << 1, 21);
}
static int32_t c_imm(uint32_t w) { return (int32_t)sext(bit(w, 12) << 5 | bits(w, 6, 2), 6); }
static int64_t c_lui_imm(uint32_t w) { return sext((uint64_t)c_imm(w) << 12, 32); }
static int64_t c_imm_b(uint32_t w)
{
    return sext(bit(w, 12) << 8 | bits(w, 11, 10) << 3 | bits(w, 6, 5) << 6 | bits(w, 4, 3) << 1 |
                bit(w, 2) << 5, 9);
}
static int64_t c_imm_j(uint32_t w)
{
    return sext(bit(w, 12) << 11 | bit(w, 11) << 4 | bits(w, 10, 9) << 8 | bit(w, 8) << 10 |
                bit(w, 7) << 6 | bit(w, 6) << 7 | bits(w, 5, 3) << 1 | bit(w, 2) << 5, 12);
}
int32_t disas_c_addi4spn_imm(uint32_t w)
{
    return (int32_t)(bits(w, 12, 11) << 4 | bits(w, 10, 7) << 6 | bit(w, 6) << 2 | bit(w, 5) << 3);
}
int32_t disas_c_addi16sp_imm(uint32_t w)
{
    return (int32_t)sext(bit(w, 12) << 9 | bit(w, 6) << 4 | bit(w, 5) << 6 | bits(w, 4, 3) << 7 |
                         bit(w, 2) << 5, 10);
}
int32_t disas_c_lui_imm6(uint32_t w) { return c_imm(w); }

/* ---- the "# addr" comment state (objdump's maybe_print_address) ---- */

enum { X_ZERO = 0, X_GP = 3, X_TP = 4 };

static void maybe_addr(RvDisasCtx *ctx, unsigned base, int64_t off, bool wide)
{
    if (!ctx->track_addr)
        return;
    uint64_t a;
    if (ctx->hi_valid & (1u << base)) {
        a = (base ? ctx->hi_addr[base] : 0) + (uint64_t)off;
        ctx->hi_valid &= ~(1u << base); /* consumed: objdump pairs each lui/auipc once */
    } else if (base == X_GP && ctx->has_gp) {
        a = ctx->gp + (uint64_t)off;
    } else if (base == X_TP || base == X_ZERO) {
        a = (uint64_t)off;
    } else {
        return;
    }
    if (wide)
        a = (uint64_t)(int64_t)(int32_t)a;
    ctx->has_comment = true;
    ctx->comment_addr = a;
}

static void set_hi(RvDisasCtx *ctx, unsigned rd, uint64_t v)
{
    ctx->hi_addr[rd] = v;
    ctx->hi_valid |= 1u << rd;
}

/* Major-opcode tests objdump applies to the raw word while printing operands. */
static bool is_jalr(uint32_t w) { return (w & 0x707f) == 0x67; }
static bool is_addi(uint32_t w) { return (w & 0x707f) == 0x13; }
static bool is_addiw(uint32_t w) { return (w & 0x707f) == 0x1b; }
static bool is_auipc(uint32_t w) { return (w & 0x7f) == 0x17; }
static bool is_lui(uint32_t w) { return (w & 0x7f) == 0x37; }
static bool is_c_lui(uint32_t w) { return (w & 0xe003) == 0x6001; }
static bool is_c_addi(uint32_t w) { return (w & 0xe003) == 0x0001; }
static bool is_c_addiw(uint32_t w) { return (w & 0xe003) == 0x2001; }

/* Prints the operands described by `args` for raw word `w` at `pc`.
 * Letters follow objdump's conventions (riscv-opc.c): d/s/t = rd/rs1/rs2,
 * D/S/T/R = fd/fs1/fs2/fs3, j/o = I-imm, q = S-imm, u = U-imm, a/p = jump/branch
 * target, >/< = shamt, m = rm, P/Q = fence sets, E = CSR, Z = rs1 as number;
 * "C?" = compressed fields. */
static void disas_args(RvDisasCtx *ctx, DisasOut *o, const char *args, uint32_t w, uint64_t pc)
{
    unsigned rd = bits(w, 11, 7), rs1 = bits(w, 19, 15), rs2 = bits(w, 24, 20);
    if (*args)
        disas_out(o, "\t");
    for (const char *p = args; *p; p++) {
        switch (*p) {
        case ',': case '(': case ')':
            disas_out(o, "%c", *p);
            break;
        case '0': /* an implicit zero offset: printed only as the last operand */
            if (!p[1])
                disas_out(o, "0");
            break;
        case 'z': disas_out(o, "zero"); break;
        case 'd':
            if (is_auipc(w))
                set_hi(ctx, rd, pc + (uint64_t)sext(w & 0xfffff000u, 32));
            else if (is_lui(w))
                set_hi(ctx, rd, (uint64_t)sext(w & 0xfffff000u, 32));
            else if (is_c_lui(w))
                set_hi(ctx, rd, (uint64_t)c_lui_imm(w));
            disas_out(o, "%s", gpr_names[rd]);
            break;
        case 's':
            if (is_jalr(w))
                maybe_addr(ctx, rs1, imm_i(w), false);
            disas_out(o, "%s", gpr_names[rs1]);
            break;
        case 't': disas_out(o, "%s", gpr_names[rs2]); break;
        case 'o':
            maybe_addr(ctx, rs1, imm_i(w), false);
            /* fall through */
        case 'j':
            if ((is_addi(w) && rs1 != 0) || is_jalr(w))
                maybe_addr(ctx, rs1, imm_i(w), false);
            if (is_addiw(w) && rs1 != 0)
                maybe_addr(ctx, rs1, imm_i(w), true);
            disas_out(o, "%d", imm_i(w));
            break;
        case 'q':
            maybe_addr(ctx, rs1, imm_s(w), false);
            disas_out(o, "%d", imm_s(w));
            break;
        case 'u': disas_out(o, "0x%x", w >> 12); break;
        case 'a':
            ctx->has_target = true;
            ctx->target = pc + (uint64_t)imm_j(w);
            out_addr(ctx, o, ctx->target);
            break;
        case 'p':
            ctx->has_target = true;
            ctx->target = pc + (uint64_t)imm_b(w);
            out_addr(ctx, o, ctx->target);
            break;
        case '>': disas_out(o, "0x%x", bits(w, 25, 20)); break;
        case '<': disas_out(o, "0x%x", bits(w, 24, 20)); break;
        case 'm': disas_out(o, "%s", rm_names[bits(w, 14, 12)]); break;
        case 'P': disas_out(o, "%s", fence_sets[bits(w, 27, 24)]); break;
        case 'Q': disas_out(o, "%s", fence_sets[bits(w, 23, 20)]); break;
        case 'E': {
            const char *n = rv_disas_csr_name(w >> 20, ctx->priv);
            if (n)
                disas_out(o, "%s", n);
            else
                disas_out(o, "0x%x", w >> 20);
            break;
        }
        case 'Z': disas_out(o, "%u", rs1); break;
        case 'D': disas_out(o, "%s", fpr_names[rd]); break;
        case 'S': case 'U': disas_out(o, "%s", fpr_names[rs1]); break;
        case 'T': disas_out(o, "%s", fpr_names[rs2]); break;
        case 'R': disas_out(o, "%s", fpr_names[bits(w, 31, 27)]); break;
        case 'C':
            switch (*++p) {
            case 's': case 'w': disas_out(o, "%s", gpr_names[8 + bits(w, 9, 7)]); break;
            case 't': case 'x': disas_out(o, "%s", gpr_names[8 + bits(w, 4, 2)]); break;
            case 'U': disas_out(o, "%s", gpr_names[rd]); break;
            case 'c': disas_out(o, "sp"); break;
            case 'z': disas_out(o, "zero"); break;
            case 'V': disas_out(o, "%s", gpr_names[bits(w, 6, 2)]); break;
            case 'T': disas_out(o, "%s", fpr_names[bits(w, 6, 2)]); break;
            case 'D': disas_out(o, "%s", fpr_names[8 + bits(w, 4, 2)]); break;
            case 'o': case 'j':
                if (is_c_addi(w) && rd != 0)
                    maybe_addr(ctx, rd, c_imm(w), false);
                if (is_c_addiw(w) && rd != 0)
                    maybe_addr(ctx, rd, c_imm(w), true);
                disas_out(o, "%d", c_imm(w));
                break;
            case 'k': disas_out(o, "%u", bits(w, 12, 10) << 3 | bit(w, 6) << 2 | bit(w, 5) << 6); break;
            case 'l': disas_out(o, "%u", bits(w, 12, 10) << 3 | bits(w, 6, 5) << 6); break;
            case 'm': disas_out(o, "%u", bit(w, 12) << 5 | bits(w, 6, 4) << 2 | bits(w, 3, 2) << 6); break;
            case 'n': disas_out(o, "%u", bit(w, 12) << 5 | bits(w, 6, 5) << 3 | bits(w, 4, 2) << 6); break;
            case 'M': disas_out(o, "%u", bits(w, 12, 9) << 2 | bits(w, 8, 7) << 6); break;
            case 'N': disas_out(o, "%u", bits(w, 12, 10) << 3 | bits(w, 9, 7) << 6); break;
            case 'K': disas_out(o, "%d", disas_c_addi4spn_imm(w)); break;
            case 'L': disas_out(o, "%d", disas_c_addi16sp_imm(w)); break;
            case 'u': disas_out(o, "0x%x", (unsigned)c_imm(w) & 0xfffff); break;
            case '>': disas_out(o, "0x%x", (unsigned)c_imm(w) & 0x3f); break;
            case 'p':
                ctx->has_target = true;
                ctx->target = pc + (uint64_t)c_imm_b(w);
                out_addr(ctx, o, ctx->target);
                break;
            case 'a':
                ctx->has_target = true;
                ctx->target = pc + (uint64_t)c_imm_j(w);
                out_addr(ctx, o, ctx->target);
                break;
            default: break;
            }
            break;
        default:
            break;
        }
    }
}

void disas_emit(RvDisasCtx *ctx, DisasOut *o, const char *name, const char *args, uint32_t w, uint64_t pc)
{
    disas_out(o, "%s", name);
    disas_args(ctx, o, args, w, pc);
    if (ctx->has_comment) {
        disas_out(o, " # ");
        out_addr(ctx, o, ctx->comment_addr);
    }
}

/* ---- 32-bit rules ---- */

/* objdump-known encodings our decoder rejects (retired privileged instructions, and
 * reserved rounding modes, which objdump prints as "unknown"). */
static bool disas32_extra(RvDisasCtx *ctx, DisasOut *o, uint32_t w, uint64_t pc)
{
    switch (w) {
    case 0x00200073: disas_emit(ctx, o, "uret", "", w, pc); return true;
    case 0x20200073: disas_emit(ctx, o, "hret", "", w, pc); return true;
    case 0x7b200073: disas_emit(ctx, o, "dret", "", w, pc); return true;
    default: break;
    }
    if ((w & 0xfff07fff) == 0x10400073) {
        disas_emit(ctx, o, "sfence.vm", bits(w, 19, 15) ? "s" : "", w, pc);
        return true;
    }
    unsigned rm = bits(w, 14, 12);
    if ((w & 0x7f) >= 0x43 && (w & 0x7f) <= 0x53 && (rm == 5 || rm == 6)) {
        RvInsn alt;
        rv_decode((w & ~0x7000u) | 0x7000u, &alt);  /* same insn with rm = dyn */
        if (alt.op != RV_OP_ILLEGAL) {
            alt.raw = w;
            return disas32(ctx, o, &alt, pc);
        }
    }
    return false;
}

/* The suffix objdump's A-extension names carry for aq (bit 1 of rm) / rl (bit 0). */
static const char *aqrl_suffix(unsigned aqrl)
{
    static const char *const s[4] = {"", ".rl", ".aq", ".aqrl"};
    return s[aqrl & 3];
}

static bool ext_on(const RvDisasCtx *ctx, uint32_t need) { return (ctx->ext & need) != 0; }

bool disas32(RvDisasCtx *ctx, DisasOut *o, const RvInsn *d, uint64_t pc)
{
    uint32_t w = d->raw;
    unsigned rd = bits(w, 11, 7), rs1 = bits(w, 19, 15), rs2 = bits(w, 24, 20), rm = bits(w, 14, 12);
    int32_t ii = imm_i(w);
    const char *mn = rv_insn_info[d->op].mnemonic;
    const char *n = mn, *a = NULL;
    char namebuf[32];

    switch ((RvOp)d->op) {
    case RV_OP_ILLEGAL:
        return disas32_extra(ctx, o, w, pc);
    case RV_OP_lui: case RV_OP_auipc: a = "d,u"; break;
    case RV_OP_jal:
        if (rd == 0) n = "j", a = "a";
        else if (rd == 1) a = "a";
        else a = "d,a";
        break;
    case RV_OP_jalr:
        if (w == 0x00008067) n = "ret", a = "";
        else if (rd == 0) n = "jr", a = ii ? "o(s)" : "s";
        else if (rd == 1) a = ii ? "o(s)" : "s";
        else a = ii ? "d,o(s)" : "d,s";
        break;
    case RV_OP_beq: if (rs2 == 0) n = "beqz", a = "s,p"; else a = "s,t,p"; break;
    case RV_OP_bne: if (rs2 == 0) n = "bnez", a = "s,p"; else a = "s,t,p"; break;
    case RV_OP_bge:
        if (rs1 == 0) n = "blez", a = "t,p";
        else if (rs2 == 0) n = "bgez", a = "s,p";
        else a = "s,t,p";
        break;
    case RV_OP_blt:
        if (rs2 == 0) n = "bltz", a = "s,p";
        else if (rs1 == 0) n = "bgtz", a = "t,p";
        else a = "s,t,p";
        break;
    case RV_OP_bltu: case RV_OP_bgeu: a = "s,t,p"; break;
    case RV_OP_lb: case RV_OP_lh: case RV_OP_lw: case RV_OP_ld:
    case RV_OP_lbu: case RV_OP_lhu: case RV_OP_lwu:
        a = "d,o(s)";
        break;
    case RV_OP_sb: case RV_OP_sh: case RV_OP_sw: case RV_OP_sd: a = "t,q(s)"; break;
    case RV_OP_addi:
        if (w == 0x13) n = "nop", a = "";
        else if (rs1 == 0) n = "li", a = "d,j";
        else if (ii == 0) n = "mv", a = "d,s";
        else n = "add", a = "d,s,j";
        break;
    case RV_OP_slti: a = "d,s,j"; break;
    case RV_OP_sltiu: if (ii == 1) n = "seqz", a = "d,s"; else a = "d,s,j"; break;
    case RV_OP_xori: if (ii == -1) n = "not", a = "d,s"; else n = "xor", a = "d,s,j"; break;
    case RV_OP_ori: n = "or", a = "d,s,j"; break;
    case RV_OP_andi: if (ii == 255) n = "zext.b", a = "d,s"; else n = "and", a = "d,s,j"; break;
    case RV_OP_slli: n = "sll", a = "d,s,>"; break;
    case RV_OP_srli: n = "srl", a = "d,s,>"; break;
    case RV_OP_srai: n = "sra", a = "d,s,>"; break;
    case RV_OP_sub: if (rs1 == 0) n = "neg", a = "d,t"; else a = "d,s,t"; break;
    case RV_OP_slt:
        if (rs2 == 0) n = "sltz", a = "d,s";
        else if (rs1 == 0) n = "sgtz", a = "d,t";
        else a = "d,s,t";
        break;
    case RV_OP_sltu: if (rs1 == 0) n = "snez", a = "d,t"; else a = "d,s,t"; break;
    case RV_OP_pause:
        if (ext_on(ctx, RV_DISAS_EXT_ZIHINTPAUSE)) a = "";
        else n = "fence", a = "P,Q";  /* objdump without zihintpause: "fence w,unknown" */
        break;
    case RV_OP_fence:
        if ((w & 0xf00fff80u) != 0 && w != 0x8330000f)
            return false;                   /* fm / rd / rs1 set: objdump has no entry */
        if (w == 0x0ff0000f) a = "";
        else if (w == 0x8330000f) n = "fence.tso", a = "";
        else a = "P,Q";
        break;
    case RV_OP_fence_i: if (w != 0x100f) return false; a = ""; break;
    case RV_OP_addiw: if (ii == 0) n = "sext.w", a = "d,s"; else n = "addw", a = "d,s,j"; break;
    case RV_OP_slliw: n = "sllw", a = "d,s,<"; break;
    case RV_OP_srliw: n = "srlw", a = "d,s,<"; break;
    case RV_OP_sraiw: n = "sraw", a = "d,s,<"; break;
    case RV_OP_subw: if (rs1 == 0) n = "negw", a = "d,t"; else a = "d,s,t"; break;
    case RV_OP_lr_w: case RV_OP_lr_d:
        snprintf(namebuf, sizeof namebuf, "%s%s", mn, aqrl_suffix(d->rm));
        n = namebuf, a = "d,0(s)";
        break;
    case RV_OP_csrrw: case RV_OP_csrrs: case RV_OP_csrrc:
    case RV_OP_csrrwi: case RV_OP_csrrsi: case RV_OP_csrrci:
        return disas_csr(ctx, o, d, pc);
    case RV_OP_flw: case RV_OP_fld: a = "D,o(s)"; break;
    case RV_OP_fsw: case RV_OP_fsd: a = "T,q(s)"; break;
    case RV_OP_fmadd_s: case RV_OP_fmsub_s: case RV_OP_fnmsub_s: case RV_OP_fnmadd_s:
    case RV_OP_fmadd_d: case RV_OP_fmsub_d: case RV_OP_fnmsub_d: case RV_OP_fnmadd_d:
        a = rm == 7 ? "D,S,T,R" : "D,S,T,R,m";
        break;
    case RV_OP_fadd_s: case RV_OP_fsub_s: case RV_OP_fmul_s: case RV_OP_fdiv_s:
    case RV_OP_fadd_d: case RV_OP_fsub_d: case RV_OP_fmul_d: case RV_OP_fdiv_d:
        a = rm == 7 ? "D,S,T" : "D,S,T,m";
        break;
    case RV_OP_fsqrt_s: case RV_OP_fsqrt_d: case RV_OP_fcvt_s_d:
        a = rm == 7 ? "D,S" : "D,S,m";
        break;
    case RV_OP_fcvt_d_s: if (rm != 0) return false; a = "D,S"; break;
    case RV_OP_fcvt_d_w: case RV_OP_fcvt_d_wu: if (rm != 0) return false; a = "D,s"; break;
    case RV_OP_fsgnj_s: if (rs1 == rs2) n = "fmv.s", a = "D,U"; else a = "D,S,T"; break;
    case RV_OP_fsgnjn_s: if (rs1 == rs2) n = "fneg.s", a = "D,U"; else a = "D,S,T"; break;
    case RV_OP_fsgnjx_s: if (rs1 == rs2) n = "fabs.s", a = "D,U"; else a = "D,S,T"; break;
    case RV_OP_fsgnj_d: if (rs1 == rs2) n = "fmv.d", a = "D,U"; else a = "D,S,T"; break;
    case RV_OP_fsgnjn_d: if (rs1 == rs2) n = "fneg.d", a = "D,U"; else a = "D,S,T"; break;
    case RV_OP_fsgnjx_d: if (rs1 == rs2) n = "fabs.d", a = "D,U"; else a = "D,S,T"; break;
    case RV_OP_fmin_s: case RV_OP_fmax_s: case RV_OP_fmin_d: case RV_OP_fmax_d: a = "D,S,T"; break;
    case RV_OP_fcvt_w_s: case RV_OP_fcvt_wu_s: case RV_OP_fcvt_l_s: case RV_OP_fcvt_lu_s:
    case RV_OP_fcvt_w_d: case RV_OP_fcvt_wu_d: case RV_OP_fcvt_l_d: case RV_OP_fcvt_lu_d:
        a = rm == 7 ? "d,S" : "d,S,m";
        break;
    case RV_OP_fcvt_s_w: case RV_OP_fcvt_s_wu: case RV_OP_fcvt_s_l: case RV_OP_fcvt_s_lu:
    case RV_OP_fcvt_d_l: case RV_OP_fcvt_d_lu:
        a = rm == 7 ? "D,s" : "D,s,m";
        break;
    case RV_OP_fmv_x_w: case RV_OP_fclass_s: case RV_OP_fclass_d: case RV_OP_fmv_x_d:
        a = "d,S";
        break;
    case RV_OP_fmv_w_x: case RV_OP_fmv_d_x: a = "D,s"; break;
    case RV_OP_feq_s: case RV_OP_flt_s: case RV_OP_fle_s:
    case RV_OP_feq_d: case RV_OP_flt_d: case RV_OP_fle_d:
        a = "d,S,T";
        break;
    case RV_OP_sret: case RV_OP_mret: case RV_OP_wfi: case RV_OP_ecall: case RV_OP_ebreak:
        a = "";
        break;
    case RV_OP_sfence_vma: a = rs2 ? "s,t" : rs1 ? "s" : ""; break;
    /* Zba */
    case RV_OP_add_uw:
        if (!ext_on(ctx, RV_DISAS_EXT_ZBA)) return false;
        if (rs2 == 0) n = "zext.w", a = "d,s"; else a = "d,s,t";
        break;
    case RV_OP_sh1add: case RV_OP_sh2add: case RV_OP_sh3add:
    case RV_OP_sh1add_uw: case RV_OP_sh2add_uw: case RV_OP_sh3add_uw:
        if (!ext_on(ctx, RV_DISAS_EXT_ZBA)) return false;
        a = "d,s,t";
        break;
    case RV_OP_slli_uw: if (!ext_on(ctx, RV_DISAS_EXT_ZBA)) return false; a = "d,s,>"; break;
    /* Zbb (objdump files some of these under "Zbb or Zbkb") */
    case RV_OP_clz: case RV_OP_ctz: case RV_OP_cpop: case RV_OP_sext_b: case RV_OP_sext_h:
    case RV_OP_clzw: case RV_OP_ctzw: case RV_OP_cpopw: case RV_OP_zext_h: case RV_OP_orc_b:
        if (!ext_on(ctx, RV_DISAS_EXT_ZBB)) return false;
        a = "d,s";
        break;
    case RV_OP_max: case RV_OP_maxu: case RV_OP_min: case RV_OP_minu:
        if (!ext_on(ctx, RV_DISAS_EXT_ZBB)) return false;
        a = "d,s,t";
        break;
    case RV_OP_andn: case RV_OP_orn: case RV_OP_xnor: case RV_OP_rol: case RV_OP_ror:
    case RV_OP_rolw: case RV_OP_rorw:
        if (!ext_on(ctx, RV_DISAS_EXT_ZBB | RV_DISAS_EXT_ZBKB)) return false;
        a = "d,s,t";
        break;
    case RV_OP_rori: if (!ext_on(ctx, RV_DISAS_EXT_ZBB | RV_DISAS_EXT_ZBKB)) return false; n = "ror", a = "d,s,>"; break;
    case RV_OP_roriw: if (!ext_on(ctx, RV_DISAS_EXT_ZBB | RV_DISAS_EXT_ZBKB)) return false; n = "rorw", a = "d,s,<"; break;
    case RV_OP_rev8: if (!ext_on(ctx, RV_DISAS_EXT_ZBB | RV_DISAS_EXT_ZBKB)) return false; a = "d,s"; break;
    /* Zbc */
    case RV_OP_clmul: case RV_OP_clmulh:
        if (!ext_on(ctx, RV_DISAS_EXT_ZBC | RV_DISAS_EXT_ZBKC)) return false;
        a = "d,s,t";
        break;
    case RV_OP_clmulr: if (!ext_on(ctx, RV_DISAS_EXT_ZBC)) return false; a = "d,s,t"; break;
    /* Zbs: the immediate forms print under the register mnemonic, as add/addi do */
    case RV_OP_bclr: case RV_OP_bext: case RV_OP_binv: case RV_OP_bset:
        if (!ext_on(ctx, RV_DISAS_EXT_ZBS)) return false;
        a = "d,s,t";
        break;
    case RV_OP_bclri: case RV_OP_bexti: case RV_OP_binvi: case RV_OP_bseti:
        if (!ext_on(ctx, RV_DISAS_EXT_ZBS)) return false;
        snprintf(namebuf, sizeof namebuf, "%.*s", (int)strlen(mn) - 1, mn);
        n = namebuf, a = "d,s,>";
        break;
    case RV_OP_czero_eqz: case RV_OP_czero_nez:
        if (!ext_on(ctx, RV_DISAS_EXT_ZICOND)) return false;
        a = "d,s,t";
        break;
    case RV_OP_cbo_clean: case RV_OP_cbo_flush: case RV_OP_cbo_inval:
        if (!ext_on(ctx, RV_DISAS_EXT_ZICBOM)) return false;
        a = "0(s)";
        break;
    case RV_OP_cbo_zero: if (!ext_on(ctx, RV_DISAS_EXT_ZICBOZ)) return false; a = "0(s)"; break;
    default:
        break;
    }
    if (!a) {
        const RvFormat f = rv_insn_info[d->op].format;
        if (f == RV_FMT_AMO) {        /* sc.*, amo*.*: name.aq/.rl, rd,rs2,(rs1) */
            snprintf(namebuf, sizeof namebuf, "%s%s", mn, aqrl_suffix(d->rm));
            n = namebuf, a = "d,t,0(s)";
        } else if (f == RV_FMT_R) {
            a = "d,s,t";              /* remaining R-type: add, sll, mul, addw, ... */
        } else {
            return false;
        }
    }
    disas_emit(ctx, o, n, a, w, pc);
    return true;
}

/* CSR instructions: objdump's F-extension names for fcsr/frm/fflags come first, then
 * rdcycle & co, then csrr/csrw/csrs/csrc, then the full forms; the immediate forms
 * print under the register mnemonics (csrrw a1,fcsr,3). */
bool disas_csr(RvDisasCtx *ctx, DisasOut *o, const RvInsn *d, uint64_t pc)
{
    uint32_t w = d->raw;
    unsigned rd = bits(w, 11, 7), rs1 = bits(w, 19, 15), csr = w >> 20;
    const char *n = NULL, *a = NULL;
    bool imm = d->op == RV_OP_csrrwi || d->op == RV_OP_csrrsi || d->op == RV_OP_csrrci;
    bool rw = d->op == RV_OP_csrrw || d->op == RV_OP_csrrwi;
    bool rs = d->op == RV_OP_csrrs || d->op == RV_OP_csrrsi;

    if (w == 0xc0001073) {
        n = "unimp", a = "";
    } else if (d->op == RV_OP_csrrs && rs1 == 0 && csr >= 0xc00 && csr <= 0xc02) {
        static const char *const rdc[3] = {"rdcycle", "rdtime", "rdinstret"};
        n = rdc[csr - 0xc00], a = "d";
    } else if (csr >= 1 && csr <= 3) {
        static const char *const rdn[4] = {NULL, "frflags", "frrm", "frcsr"};
        static const char *const wrn[4] = {NULL, "fsflags", "fsrm", "fscsr"};
        static const char *const wrin[4] = {NULL, "fsflagsi", "fsrmi", NULL};
        if (d->op == RV_OP_csrrs && rs1 == 0)
            n = rdn[csr], a = "d";
        else if (d->op == RV_OP_csrrw)
            n = wrn[csr], a = rd ? "d,s" : "s";
        else if (d->op == RV_OP_csrrwi && wrin[csr])
            n = wrin[csr], a = "d,Z";
    }
    if (!n) {
        if (rs && !imm && rs1 == 0) {
            n = "csrr", a = "d,E";
        } else if (rd == 0) {
            n = rw ? "csrw" : rs ? "csrs" : "csrc";
            a = imm ? "E,Z" : "E,s";
        } else {
            n = rw ? "csrrw" : rs ? "csrrs" : "csrrc";
            a = imm ? "d,E,Z" : "d,E,s";
        }
    }
    disas_emit(ctx, o, n, a, w, pc);
    return true;
}

/* ---- CSR names ---- */

typedef struct CsrName {
    uint16_t num;
    uint8_t priv;
    const char *name;
} CsrName;

static const CsrName csr_names[] = {
#define CSR(num, name, priv) {num, priv, name},
#include "frontend/disas_csr.inc"
#undef CSR
};

const char *rv_disas_csr_name(unsigned csr, uint32_t priv)
{
    /* The table is sorted by number; a number can have one name per spec version. */
    size_t lo = 0, hi = sizeof csr_names / sizeof csr_names[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (csr_names[mid].num < csr)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < sizeof csr_names / sizeof csr_names[0] && csr_names[lo].num == csr; lo++)
        if (csr_names[lo].priv & priv)
            return csr_names[lo].name;
    return NULL;
}

/* ---- arch attribute ---- */

uint32_t rv_disas_ext_from_arch(const char *arch)
{
    static const struct { const char *name; uint32_t bit; } multi[] = {
        {"zba", RV_DISAS_EXT_ZBA}, {"zbb", RV_DISAS_EXT_ZBB}, {"zbc", RV_DISAS_EXT_ZBC},
        {"zbs", RV_DISAS_EXT_ZBS}, {"zihintpause", RV_DISAS_EXT_ZIHINTPAUSE},
        {"zicbom", RV_DISAS_EXT_ZICBOM}, {"zicboz", RV_DISAS_EXT_ZICBOZ},
        {"zbkb", RV_DISAS_EXT_ZBKB}, {"zbkc", RV_DISAS_EXT_ZBKC},
        {"zk", RV_DISAS_EXT_ZBKB | RV_DISAS_EXT_ZBKC}, {"zkn", RV_DISAS_EXT_ZBKB | RV_DISAS_EXT_ZBKC},
        {"zks", RV_DISAS_EXT_ZBKB | RV_DISAS_EXT_ZBKC},
    };
    uint32_t ext = 0;
    if (!arch)
        return 0;
    /* Multi-letter extensions are '_'-separated tokens: name followed by an optional
     * version "NpM"; single letters (imafdc...) never name the optional ones we track. */
    for (const char *p = strchr(arch, '_'); p; p = strchr(p + 1, '_')) {
        const char *tok = p + 1;
        size_t len = strcspn(tok, "_");
        while (len && ((tok[len - 1] >= '0' && tok[len - 1] <= '9') || tok[len - 1] == 'p'))
            len--;
        for (size_t i = 0; i < sizeof multi / sizeof multi[0]; i++)
            if (strlen(multi[i].name) == len && !strncmp(tok, multi[i].name, len))
                ext |= multi[i].bit;
    }
    return ext;
}

/* ---- entry points ---- */

void rv_disas_ctx_init(RvDisasCtx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->ext = RV_DISAS_EXT_ALL;
    ctx->priv = RV_DISAS_PRIV_1_12;
}

int rv_disas_ex(RvDisasCtx *ctx, const RvInsn *insn, uint64_t pc, char *buf, size_t size)
{
    DisasOut o = {buf, size, 0};
    if (size)
        buf[0] = 0;
    ctx->has_target = false;
    ctx->has_comment = false;
    bool ok = insn->len == 2 ? disas16(ctx, &o, insn->raw & 0xffff, pc) : disas32(ctx, &o, insn, pc);
    if (!ok) {
        /* objdump's fallback for encodings no table entry matches */
        o.len = 0;
        if (size)
            buf[0] = 0;
        ctx->has_target = ctx->has_comment = false;
        disas_out(&o, ".%dbyte\t0x%" PRIx32, insn->len == 2 ? 2 : 4, insn->raw);
    }
    return (int)o.len;
}

int rv_disas(const RvInsn *insn, uint64_t pc, char *buf, size_t size)
{
    RvDisasCtx ctx;
    rv_disas_ctx_init(&ctx);
    return rv_disas_ex(&ctx, insn, pc, buf, size);
}
