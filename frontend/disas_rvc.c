/* Disassembler, 16-bit (RVC) rules. objdump prints compressed instructions from its
 * own compressed entries, not from the 32-bit expansion, so this works on the raw
 * 16 bits: hints print under their c.* names (`c.li zero,5`, `c.mv zero,a0`,
 * `c.slli64 a0`), some reserved forms still print (`add sp,sp,0` for c.addi16sp with a
 * zero immediate), and aliases follow objdump 2.40's table order (c.addi prints
 * `add a0,a0,5`, c.mv `mv`, c.addiw `addw`/`sext.w`, c.slli `sll`).
 * Invariant: only RV64 + D forms exist (c.jal/c.flw are RV32-only). */
#include "frontend/disas_internal.h"

static inline uint32_t bits(uint32_t v, int hi, int lo) { return (v >> lo) & ((1u << (hi - lo + 1)) - 1); }

bool disas16(RvDisasCtx *ctx, DisasOut *o, uint32_t w, uint64_t pc)
{
    unsigned f3 = bits(w, 15, 13), rd = bits(w, 11, 7), rs2 = bits(w, 6, 2), b12 = bits(w, 12, 12);
    unsigned shamt = b12 << 5 | rs2;
    const char *n = NULL, *a = NULL;

    if (w == 0x0000) n = "unimp", a = "";
    else if (w == 0x9002) n = "ebreak", a = "";
    else if (w == 0x8082) n = "ret", a = "";
    if (n) {
        disas_emit(ctx, o, n, a, w, pc);
        return true;
    }
    switch (w & 3) {
    case 0:
        switch (f3) {
        case 0: if (disas_c_addi4spn_imm(w)) n = "add", a = "Ct,Cc,CK"; break;
        case 1: n = "fld", a = "CD,Cl(Cs)"; break;
        case 2: n = "lw", a = "Ct,Ck(Cs)"; break;
        case 3: n = "ld", a = "Ct,Cl(Cs)"; break;
        case 5: n = "fsd", a = "CD,Cl(Cs)"; break;
        case 6: n = "sw", a = "Ct,Ck(Cs)"; break;
        case 7: n = "sd", a = "Ct,Cl(Cs)"; break;
        default: break; /* 4: reserved (Zcb, unknown to objdump 2.40) */
        }
        break;
    case 1:
        switch (f3) {
        case 0:
            if (w == 0x0001) n = "nop", a = "";
            else if (rd) n = "add", a = "d,CU,Co";
            else n = "c.nop", a = "Cj";
            break;
        case 1:
            if (rd) {
                if (bits(w, 12, 12) == 0 && rs2 == 0) n = "sext.w", a = "d,CU";
                else n = "addw", a = "d,CU,Co";
            }
            break;
        case 2: if (rd) n = "li", a = "d,Co"; else n = "c.li", a = "d,Co"; break;
        case 3:
            if (rd == 2) n = "add", a = "Cc,Cc,CL";  /* objdump accepts a zero immediate here */
            else if (disas_c_lui_imm6(w)) n = rd ? "lui" : "c.lui", a = "d,Cu";
            break;
        case 4:
            switch (bits(w, 11, 10)) {
            case 0: if (shamt) n = "srl", a = "Cs,Cw,C>"; else n = "c.srli64", a = "Cs"; break;
            case 1: if (shamt) n = "sra", a = "Cs,Cw,C>"; else n = "c.srai64", a = "Cs"; break;
            case 2: n = "and", a = "Cs,Cw,Co"; break;
            default: {
                static const char *const ops[8] = {"sub", "xor", "or", "and", "subw", "addw", NULL, NULL};
                n = ops[b12 << 2 | bits(w, 6, 5)];
                a = "Cs,Cw,Ct";
                break;
            }
            }
            break;
        case 5: n = "j", a = "Ca"; break;
        case 6: n = "beqz", a = "Cs,Cp"; break;
        default: n = "bnez", a = "Cs,Cp"; break;
        }
        break;
    case 2:
        switch (f3) {
        case 0:
            if (!shamt) n = "c.slli64", a = "d";
            else if (rd) n = "sll", a = "d,CU,C>";
            else n = "c.slli", a = "d,C>";
            break;
        case 1: n = "fld", a = "D,Cn(Cc)"; break;
        case 2: if (rd) n = "lw", a = "d,Cm(Cc)"; break;
        case 3: if (rd) n = "ld", a = "d,Cn(Cc)"; break;
        case 4:
            if (!b12) {
                if (!rs2) { if (rd) n = "jr", a = "d"; }
                else if (rd) n = "mv", a = "d,CV";
                else n = "c.mv", a = "d,CV";
            } else {
                if (!rs2) { if (rd) n = "jalr", a = "d"; }
                else if (rd) n = "add", a = "d,CU,CV";
                else n = "c.add", a = "d,CV";
            }
            break;
        case 5: n = "fsd", a = "CT,CN(Cc)"; break;
        case 6: n = "sw", a = "CV,CM(Cc)"; break;
        default: n = "sd", a = "CV,CN(Cc)"; break;
        }
        break;
    default:
        return false;
    }
    if (!n)
        return false;
    disas_emit(ctx, o, n, a, w, pc);
    return true;
}
