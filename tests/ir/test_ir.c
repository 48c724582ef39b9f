/* ir/: the verifier accepts well-formed blocks and names the first problem of bad
 * ones; each pass does its job and keeps blocks well formed; the register allocator
 * honours its output invariant (operands in the registers their definitions got,
 * spills around calls, no frame overflow reported as success). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ir/ir.h"
#include "ir/ir_regalloc.h"

static IrBlock blk, out;

static void ok(const IrBlock *b)
{
    uint32_t where;
    const char *err = ir_verify(b, &where);
    cr_assert_null(err, "verify: %s at %u", err ? err : "", where);
}

static const char *bad(const IrBlock *b)
{
    uint32_t where;
    return ir_verify(b, &where);
}

/* Host description of a small machine: 3 registers, 0 and 1 caller-saved. */
static const IrHostRegs small = {.n = 3, .reg = {0, 1, 2}, .caller_saved = 3, .max_frame_slots = 8};

static void check_alloc(const IrBlock *b, const IrHostRegs *h);

static uint32_t count(const IrBlock *b, IrOp op)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < b->n; i++)
        n += b->insn[i].op == op;
    return n;
}

Test(verify, accepts_a_simple_block)
{
    ir_block_init(&blk);
    IrRef a = ir_get(&blk, 1);
    ir_set(&blk, 2, ir_binop(&blk, IR_OP_add, a, ir_const(&blk, 5)));
    ir_goto_tb(&blk, 0x1000);
    ok(&blk);
}

Test(verify, rejects_malformed_blocks)
{
    ir_block_init(&blk);
    cr_expect_str_eq(bad(&blk), "empty block");

    ir_block_init(&blk);
    ir_get(&blk, 1);
    cr_expect_str_eq(bad(&blk), "block does not end with a terminator");

    ir_block_init(&blk);
    ir_exit(&blk, 0);
    ir_exit(&blk, 0);
    cr_expect_str_eq(bad(&blk), "terminator before the end");

    ir_block_init(&blk);
    IrRef v = ir_get(&blk, 1);
    ir_emit(&blk, IR_OP_add, v, (IrRef)5, IR_NONE, 0, 0, 0); /* forward reference */
    ir_exit(&blk, 0);
    cr_expect_str_eq(bad(&blk), "operand does not precede its use");

    ir_block_init(&blk);
    ir_set(&blk, 1, ir_const(&blk, 1));
    ir_emit(&blk, IR_OP_add, 1, 0, IR_NONE, 0, 0, 0); /* insn 1 is a void set */
    ir_exit(&blk, 0);
    cr_expect_str_eq(bad(&blk), "operand refers to a void instruction");

    ir_block_init(&blk);
    ir_emit(&blk, IR_OP_add, ir_const(&blk, 1), IR_NONE, IR_NONE, 0, 0, 0);
    ir_exit(&blk, 0);
    cr_expect_str_eq(bad(&blk), "missing operand");

    ir_block_init(&blk);
    ir_setcc(&blk, (IrCond)9, ir_const(&blk, 1), ir_const(&blk, 2));
    ir_exit(&blk, 0);
    cr_expect_str_eq(bad(&blk), "bad condition");

    ir_block_init(&blk);
    ir_fp(&blk, IR_FP_COUNT, (void *)1, ir_get(&blk, 1), IR_NONE, IR_NONE, IR_FP_RNE);
    ir_exit(&blk, 0);
    cr_expect_str_eq(bad(&blk), "bad FP operation");
}

/* fp: operands it lacks are absent, not missing; passes keep it (it accrues flags)
 * though nothing uses its result, and leave the state cache alone around it; the
 * allocator does not treat it as a call; the printer names the operation. */
Test(passes, fp_is_kept_and_not_a_call)
{
    ir_block_init(&blk);
    IrRef x = ir_get(&blk, 1);
    IrRef y = ir_get(&blk, 2);
    IrRef r = ir_fp(&blk, IR_FP_SQRT | IR_FP_SINGLE, (void *)1, x, IR_NONE, IR_NONE, IR_FP_RNE);
    ir_fp(&blk, IR_FP_MADD, (void *)1, x, y, r, IR_FP_RNE);       /* result unused */
    ir_set(&blk, 3, ir_binop(&blk, IR_OP_add, ir_get(&blk, 1), y)); /* slot 1 still cached */
    ir_exit(&blk, 0);
    ok(&blk);
    ir_optimize(&blk, true);
    cr_expect_eq(count(&blk, IR_OP_fp), 2);
    cr_expect_eq(count(&blk, IR_OP_get), 2);
    cr_assert(ir_regalloc(&blk, &out, &small));
    ok(&out);
    cr_expect_eq(count(&out, IR_OP_spill), 0);
    check_alloc(&out, &small);
    char text[2048] = "";
    FILE *f = fmemopen(text, sizeof text - 1, "w");
    ir_print(&blk, f);
    fclose(f);
    cr_expect(strstr(text, "fp.sqrt.s v") && strstr(text, ", -, - fn=0x1 rm=0"), "%s", text);
    cr_expect(strstr(text, "fp.madd.d") != NULL, "%s", text);
}

Test(eval, matches_the_op_definitions)
{
    cr_expect_eq(ir_eval(IR_OP_add32, 0, 0x7fffffff, 1), 0xffffffff80000000ull);
    cr_expect_eq(ir_eval(IR_OP_shr32, 0, 0xffffffff80000000ull, 33), 0x40000000);
    cr_expect_eq(ir_eval(IR_OP_sar, 0, 0x8000000000000000ull, 64 + 63), UINT64_MAX);
    cr_expect_eq(ir_eval(IR_OP_mulh, 0, (uint64_t)-2, 3), UINT64_MAX);
    cr_expect_eq(ir_eval(IR_OP_mulhu, 0, UINT64_MAX, UINT64_MAX), UINT64_MAX - 1);
    cr_expect_eq(ir_eval(IR_OP_setcc, IR_COND_LT, (uint64_t)-1, 0), 1);
    cr_expect_eq(ir_eval(IR_OP_setcc, IR_COND_LTU, (uint64_t)-1, 0), 0);
    cr_expect_eq(ir_eval(IR_OP_sext8, 0, 0x80, 0), 0xffffffffffffff80ull);
}

Test(passes, fold_propagates_constants_and_identities)
{
    ir_block_init(&blk);
    IrRef x = ir_get(&blk, 3);
    IrRef c = ir_binop(&blk, IR_OP_add, ir_const(&blk, 40), ir_const(&blk, 2)); /* 42 */
    IrRef y = ir_binop(&blk, IR_OP_add, x, ir_binop(&blk, IR_OP_sub, c, ir_const(&blk, 42))); /* x + 0 */
    ir_set(&blk, 4, y);
    ir_set(&blk, 5, ir_binop(&blk, IR_OP_mul, ir_const(&blk, 7), c)); /* 294 */
    ir_brcond(&blk, IR_COND_EQ, c, ir_const(&blk, 42), 0x100, 0x200);
    ir_optimize(&blk, true);
    ok(&blk);
    cr_assert_eq(blk.insn[blk.n - 1].op, IR_OP_goto_tb);
    cr_expect_eq(blk.insn[blk.n - 1].imm, 0x100);
    cr_expect_eq(count(&blk, IR_OP_add), 0);
    cr_expect_eq(count(&blk, IR_OP_mul), 0);
    bool saw_294 = false, set4_is_get = false;
    for (uint32_t i = 0; i < blk.n; i++) {
        const IrInsn *in = &blk.insn[i];
        saw_294 |= in->op == IR_OP_const && in->imm == 294;
        if (in->op == IR_OP_set && in->imm == 4)
            set4_is_get = blk.insn[in->arg[0]].op == IR_OP_get;
    }
    cr_expect(saw_294);
    cr_expect(set4_is_get, "x + 0 must become x");
}

/* The value set to state slot `slot` (the last set of it). */
static const IrInsn *set_value(const IrBlock *b, int64_t slot)
{
    const IrInsn *v = NULL;
    for (uint32_t i = 0; i < b->n; i++)
        if (b->insn[i].op == IR_OP_set && b->insn[i].imm == slot)
            v = &b->insn[b->insn[i].arg[0]];
    return v;
}

Test(passes, fold_resolves_selects_on_constants_and_equal_values)
{
    ir_block_init(&blk);
    IrRef x = ir_get(&blk, 3), y = ir_get(&blk, 4), c = ir_get(&blk, 5);
    ir_set(&blk, 6, ir_select(&blk, ir_const(&blk, 2), x, y));                        /* x */
    ir_set(&blk, 7, ir_select(&blk, ir_const(&blk, 0), x, y));                        /* y */
    ir_set(&blk, 8, ir_select(&blk, c, y, y));                                        /* y */
    ir_set(&blk, 9, ir_select(&blk, ir_setcc(&blk, IR_COND_LT, x, y), x, y));         /* kept */
    ir_set(&blk, 10, ir_select(&blk, c, ir_const(&blk, 3), ir_const(&blk, 3)));        /* 3 */
    ir_set(&blk, 11, ir_select(&blk, ir_setcc(&blk, IR_COND_EQ, x, c), ir_const(&blk, 1),
                               ir_const(&blk, 0)));                                    /* the setcc */
    ir_goto_tb(&blk, 0x100);
    ir_optimize(&blk, true);
    ok(&blk);
    cr_expect_eq(count(&blk, IR_OP_select), 1);
    cr_expect(set_value(&blk, 6)->op == IR_OP_get && set_value(&blk, 6)->imm == 3);
    cr_expect(set_value(&blk, 7)->op == IR_OP_get && set_value(&blk, 7)->imm == 4);
    cr_expect(set_value(&blk, 8)->op == IR_OP_get && set_value(&blk, 8)->imm == 4);
    cr_expect_eq(set_value(&blk, 9)->op, IR_OP_select);
    cr_expect(set_value(&blk, 10)->op == IR_OP_const && set_value(&blk, 10)->imm == 3);
    cr_expect_eq(set_value(&blk, 11)->op, IR_OP_setcc);
}

Test(passes, fold_picks_through_selects_on_the_same_condition)
{
    /* an if-converted branch whose two arms write one register: the taken arm's select
     * picks through the fall-through arm's */
    ir_block_init(&blk);
    IrRef old = ir_get(&blk, 3), y = ir_get(&blk, 4), c = ir_get(&blk, 5), d = ir_get(&blk, 6);
    IrRef fall = ir_select(&blk, c, old, y);                     /* taken: kept */
    ir_set(&blk, 3, ir_select(&blk, c, ir_const(&blk, -1), fall)); /* c ? -1 : y */
    ir_set(&blk, 7, ir_select(&blk, c, fall, ir_const(&blk, 9))); /* c ? old : 9 */
    ir_set(&blk, 8, ir_select(&blk, d, fall, old));                /* another condition: kept */
    ir_goto_tb(&blk, 0x100);
    ir_optimize(&blk, true);
    ok(&blk);
    const IrInsn *v3 = set_value(&blk, 3), *v7 = set_value(&blk, 7), *v8 = set_value(&blk, 8);
    cr_expect(v3->op == IR_OP_select && blk.insn[v3->arg[1]].imm == -1 &&
              blk.insn[v3->arg[2]].op == IR_OP_get && blk.insn[v3->arg[2]].imm == 4);
    cr_expect(v7->op == IR_OP_select && blk.insn[v7->arg[1]].op == IR_OP_get &&
              blk.insn[v7->arg[1]].imm == 3 && blk.insn[v7->arg[2]].imm == 9);
    cr_expect(v8->op == IR_OP_select && blk.insn[v8->arg[1]].op == IR_OP_select);
}

Test(passes, fold_drops_guards_of_known_targets)
{
    ir_block_init(&blk);
    ir_set(&blk, 1, ir_const(&blk, 0x1234));   /* a link written */
    IrRef known = ir_get(&blk, 1), unknown = ir_get(&blk, 2);
    ir_guard_ind(&blk, ir_binop(&blk, IR_OP_and, known, ir_const(&blk, -2)), 0x1234, 1);
    ir_guard_ind(&blk, unknown, 0x5678, 2);
    ir_goto_tb(&blk, 0x100);
    ir_optimize(&blk, true);
    ok(&blk);
    cr_expect_eq(count(&blk, IR_OP_guard_ind), 1);
    for (uint32_t i = 0; i < blk.n; i++)
        if (blk.insn[i].op == IR_OP_guard_ind)
            cr_expect(blk.insn[i].imm == 0x5678 && blk.insn[i].imm2 == 2);
}

Test(passes, fold_drops_redundant_sign_extensions)
{
    /* addw x, 0 (sext.w) is a sign extension; of a 32-bit result it is nothing. */
    ir_block_init(&blk);
    IrRef x = ir_get(&blk, 1);
    IrRef s = ir_binop(&blk, IR_OP_add32, x, ir_const(&blk, 0));
    ir_set(&blk, 2, s);
    IrRef w = ir_binop(&blk, IR_OP_add32, x, x);
    IrRef again = ir_binop(&blk, IR_OP_add32, w, ir_const(&blk, 0));
    ir_set(&blk, 3, again);
    ir_exit(&blk, 0);
    ir_pass_fold(&blk);
    ir_pass_dce(&blk);
    ok(&blk);
    cr_expect_eq(count(&blk, IR_OP_sext32), 1);
    cr_expect_eq(count(&blk, IR_OP_add32), 1);
    cr_expect_eq(blk.insn[blk.insn[blk.n - 2].arg[0]].op, IR_OP_add32, "slot 3 = the addw itself");
}

Test(passes, fold_makes_indexed_adds)
{
    /* base + (index << 2) is one addsh; the shift is dropped when nothing else uses it */
    ir_block_init(&blk);
    IrRef base = ir_get(&blk, 1), index = ir_get(&blk, 2);
    IrRef sum = ir_binop(&blk, IR_OP_add, ir_binop(&blk, IR_OP_shl, index, ir_const(&blk, 2)), base);
    ir_set(&blk, 3, sum);
    IrRef big = ir_binop(&blk, IR_OP_add, base, ir_binop(&blk, IR_OP_shl, index, ir_const(&blk, 4)));
    ir_set(&blk, 4, big); /* shifts beyond 3 stay as they are */
    ir_exit(&blk, 0);
    ir_pass_fold(&blk);
    ir_pass_dce(&blk);
    ok(&blk);
    cr_expect_eq(count(&blk, IR_OP_addsh), 1);
    cr_expect_eq(count(&blk, IR_OP_shl), 1);
    for (uint32_t i = 0; i < blk.n; i++)
        if (blk.insn[i].op == IR_OP_addsh) {
            cr_expect_eq(blk.insn[i].aux, 2);
            cr_expect_eq(ir_eval(IR_OP_addsh, 2, 1000, 3), 1012);
        }
}

/* The value blk's last set of slot stores. */
static IrRef value_set(int64_t slot)
{
    IrRef v = IR_NONE;
    for (uint32_t i = 0; i < blk.n; i++)
        if (blk.insn[i].op == IR_OP_set && blk.insn[i].imm == slot)
            v = blk.insn[i].arg[0];
    cr_assert_neq(v, IR_NONE);
    return v;
}

Test(passes, fold_moves_added_constants_into_addsh)
{
    /* table + ((index + 768) << 2) + 8, crc32's slice lookup: one addsh with displacement
     * 768 * 4 + 8; a constant too big for 32 bits stays an add */
    ir_block_init(&blk);
    IrRef table = ir_get(&blk, 1), index = ir_get(&blk, 2);
    IrRef row = ir_binop(&blk, IR_OP_add, index, ir_const(&blk, 768));
    IrRef at = ir_binop(&blk, IR_OP_add, table, ir_binop(&blk, IR_OP_shl, row, ir_const(&blk, 2)));
    ir_set(&blk, 3, ir_binop(&blk, IR_OP_add, at, ir_const(&blk, 8)));
    IrRef far = ir_binop(&blk, IR_OP_add, index, ir_const(&blk, 0x40000000));
    ir_set(&blk, 4, ir_binop(&blk, IR_OP_add, table, ir_binop(&blk, IR_OP_shl, far, ir_const(&blk, 3))));
    ir_exit(&blk, 0);
    ir_pass_fold(&blk);
    ir_pass_dce(&blk);
    ok(&blk);
    cr_expect_eq(count(&blk, IR_OP_addsh), 2);
    cr_expect_eq(count(&blk, IR_OP_add), 1, "only the far index keeps its add");
    const IrInsn *s3 = &blk.insn[value_set(3)];
    cr_assert_eq(s3->op, IR_OP_addsh);
    cr_expect_eq(s3->arg[0], table);
    cr_expect_eq(s3->arg[1], index);
    cr_expect_eq(s3->imm, 768 * 4 + 8);
    const IrInsn *s4 = &blk.insn[value_set(4)];
    cr_assert_eq(s4->op, IR_OP_addsh);
    cr_expect_eq(s4->imm, 0);
    cr_expect_eq(blk.insn[s4->arg[1]].op, IR_OP_add);
}

Test(passes, fold_makes_masks_zero_extensions)
{
    ir_block_init(&blk);
    IrRef x = ir_get(&blk, 1);
    ir_set(&blk, 2, ir_binop(&blk, IR_OP_and, x, ir_const(&blk, 0xff)));
    ir_set(&blk, 3, ir_binop(&blk, IR_OP_and, ir_const(&blk, 0xffff), x));
    ir_set(&blk, 4, ir_binop(&blk, IR_OP_and, x, ir_const(&blk, 0xffffffff)));
    ir_set(&blk, 5, ir_binop(&blk, IR_OP_and, x, ir_const(&blk, 0x7f)));
    ir_exit(&blk, 0);
    ir_pass_fold(&blk);
    ir_pass_dce(&blk);
    ok(&blk);
    cr_expect_eq(blk.insn[value_set(2)].op, IR_OP_zext8);
    cr_expect_eq(blk.insn[value_set(3)].op, IR_OP_zext16);
    cr_expect_eq(blk.insn[value_set(4)].op, IR_OP_zext32);
    cr_expect_eq(blk.insn[value_set(5)].op, IR_OP_and);
    cr_expect_eq(blk.insn[value_set(2)].arg[0], x);
}

Test(passes, fold_makes_shift_pairs_extensions)
{
    /* slli+srli / slli+srai by 32, 48, 56: zext.w, zext.h, sext.w, sext.b ...; other
     * counts, or different counts, stay shifts */
    ir_block_init(&blk);
    IrRef x = ir_get(&blk, 1);
    static const struct { IrOp op; int64_t k; IrOp want; } cases[] = {
        {IR_OP_shr, 32, IR_OP_zext32}, {IR_OP_shr, 48, IR_OP_zext16}, {IR_OP_shr, 56, IR_OP_zext8},
        {IR_OP_sar, 32, IR_OP_sext32}, {IR_OP_sar, 48, IR_OP_sext16}, {IR_OP_sar, 56, IR_OP_sext8},
        {IR_OP_shr, 40, IR_OP_shr},
    };
    enum { N = sizeof cases / sizeof cases[0] };
    for (unsigned i = 0; i < N; i++) {
        IrRef up = ir_binop(&blk, IR_OP_shl, x, ir_const(&blk, cases[i].k));
        ir_set(&blk, 2 + i, ir_binop(&blk, cases[i].op, up, ir_const(&blk, cases[i].k)));
    }
    IrRef up = ir_binop(&blk, IR_OP_shl, x, ir_const(&blk, 32));
    ir_set(&blk, 2 + N, ir_binop(&blk, IR_OP_shr, up, ir_const(&blk, 31)));
    ir_exit(&blk, 0);
    ir_pass_fold(&blk);
    ir_pass_dce(&blk);
    ok(&blk);
    for (unsigned i = 0; i < N; i++) {
        const IrInsn *v = &blk.insn[value_set(2 + i)];
        cr_expect_eq(v->op, cases[i].want, "case %u", i);
        if (cases[i].want != IR_OP_shr)
            cr_expect_eq(v->arg[0], x, "case %u", i);
    }
    cr_expect_eq(blk.insn[value_set(2 + N)].op, IR_OP_shr);
    for (uint64_t v = 0; v < 4; v++) { /* what the folds rely on */
        uint64_t t = 0x8123456789abcdefull * (v + 1);
        cr_expect_eq(ir_eval(IR_OP_shr, 0, ir_eval(IR_OP_shl, 0, t, 32), 32), ir_eval(IR_OP_zext32, 0, t, 0));
        cr_expect_eq(ir_eval(IR_OP_sar, 0, ir_eval(IR_OP_shl, 0, t, 56), 56), ir_eval(IR_OP_sext8, 0, t, 0));
    }
}

Test(eval, division_is_total)
{
    const uint64_t min64 = 0x8000000000000000ull, ones = UINT64_MAX;
    cr_expect_eq(ir_eval(IR_OP_div, 0, 7, 0), ones);
    cr_expect_eq(ir_eval(IR_OP_divu, 0, 7, 0), ones);
    cr_expect_eq(ir_eval(IR_OP_rem, 0, 7, 0), 7);
    cr_expect_eq(ir_eval(IR_OP_remu, 0, 7, 0), 7);
    cr_expect_eq(ir_eval(IR_OP_div, 0, min64, ones), min64);
    cr_expect_eq(ir_eval(IR_OP_rem, 0, min64, ones), 0);
    cr_expect_eq(ir_eval(IR_OP_div, 0, (uint64_t)-7, 2), (uint64_t)-3);
    cr_expect_eq(ir_eval(IR_OP_rem, 0, (uint64_t)-7, 2), (uint64_t)-1);
    /* 32-bit forms: low halves in, sign-extended result out */
    cr_expect_eq(ir_eval(IR_OP_div32, 0, 0x80000000u, 0xffffffffu), 0xffffffff80000000ull);
    cr_expect_eq(ir_eval(IR_OP_rem32, 0, 0x80000000u, ones), 0);
    cr_expect_eq(ir_eval(IR_OP_divu32, 0, 0xfffffffeu, 1), 0xfffffffffffffffeull);
    cr_expect_eq(ir_eval(IR_OP_remu32, 0, 0x1ffffffffull, 0x100000000ull), 0xffffffffffffffffull);
    cr_expect_eq(ir_eval(IR_OP_div32, 0, 5, 0x100000000ull), ones);
}

Test(passes, fold_makes_rotations)
{
    /* sllw t,x,26; srlw u,x,6; or: rol32 by 26; the 64-bit idiom with add: rol by 13 */
    ir_block_init(&blk);
    IrRef x = ir_get(&blk, 1);
    IrRef lo = ir_binop(&blk, IR_OP_shl32, x, ir_const(&blk, 26));
    IrRef hi = ir_binop(&blk, IR_OP_shr32, x, ir_const(&blk, 6));
    ir_set(&blk, 2, ir_binop(&blk, IR_OP_or, hi, lo));
    IrRef l64 = ir_binop(&blk, IR_OP_shl, x, ir_const(&blk, 13));
    IrRef r64 = ir_binop(&blk, IR_OP_shr, x, ir_const(&blk, 51));
    ir_set(&blk, 3, ir_binop(&blk, IR_OP_add, l64, r64));
    IrRef no = ir_binop(&blk, IR_OP_shr, x, ir_const(&blk, 50)); /* 13 + 50 != 64 */
    ir_set(&blk, 4, ir_binop(&blk, IR_OP_or, l64, no));
    ir_exit(&blk, 0);
    ir_pass_fold(&blk);
    ir_pass_dce(&blk);
    ok(&blk);
    cr_expect_eq(count(&blk, IR_OP_rol32), 1);
    cr_expect_eq(count(&blk, IR_OP_rol), 1);
    cr_expect_eq(count(&blk, IR_OP_shl32) + count(&blk, IR_OP_shr32), 0);
    cr_expect_eq(ir_eval(IR_OP_rol32, 0, 0x80000001u, 26), 0x6000000ull);
    cr_expect_eq(ir_eval(IR_OP_rol32, 0, 0x00000003u, 31), 0xffffffff80000001ull);
    cr_expect_eq(ir_eval(IR_OP_rol, 0, 0x8000000000000001ull, 1), 3);
    cr_expect_eq(ir_eval(IR_OP_rol, 0, 5, 64), 5);
}

Test(passes, regcache_reads_each_slot_once_until_a_fallback)
{
    ir_block_init(&blk);
    IrRef a = ir_get(&blk, 7);
    IrRef b = ir_get(&blk, 7);
    ir_set(&blk, 8, ir_binop(&blk, IR_OP_xor, a, b));
    ir_set(&blk, 7, ir_const(&blk, 1));
    ir_set(&blk, 9, ir_get(&blk, 7)); /* forwarded from the set: the constant 1 */
    ir_call_insn(&blk, (void *)1, NULL);
    ir_set(&blk, 10, ir_get(&blk, 7)); /* after a fallback: must be read again */
    ir_exit(&blk, 0);
    ir_optimize(&blk, true);
    cr_expect_eq(count(&blk, IR_OP_get), 2);
    cr_expect_eq(count(&blk, IR_OP_xor), 1);
}

Test(passes, dse_keeps_writes_visible_at_exits)
{
    ir_block_init(&blk);
    IrRef v = ir_get(&blk, 1);
    ir_set(&blk, 2, v);                        /* overwritten before anyone sees it */
    ir_set(&blk, 2, ir_binop(&blk, IR_OP_add, v, ir_const(&blk, 1)));
    ir_store(&blk, IR_MEM_64, v, 0, v);        /* may fault: slot 2 must be exact here */
    ir_set(&blk, 2, ir_binop(&blk, IR_OP_add, v, ir_const(&blk, 2)));
    ir_exit(&blk, 0);
    ir_optimize(&blk, true);
    ok(&blk);
    uint32_t sets = 0;
    for (uint32_t i = 0; i < blk.n; i++)
        sets += blk.insn[i].op == IR_OP_set && blk.insn[i].imm == 2;
    cr_expect_eq(sets, 2);
}

Test(passes, side_exits_see_the_state_and_fold_when_never_taken)
{
    ir_block_init(&blk);
    IrRef v = ir_get(&blk, 1);
    ir_set(&blk, 2, ir_binop(&blk, IR_OP_add, v, ir_const(&blk, 1)));
    ir_exit_if(&blk, IR_COND_EQ, v, ir_const(&blk, 0), 0x100, 3); /* slot 2 must be exact */
    ir_exit_if(&blk, IR_COND_LT, ir_const(&blk, 5), ir_const(&blk, 4), 0x200, 4); /* never */
    ir_set(&blk, 2, ir_binop(&blk, IR_OP_add, v, ir_const(&blk, 2)));
    ir_exit(&blk, 0);
    ir_optimize(&blk, true);
    ok(&blk);
    cr_expect_eq(count(&blk, IR_OP_exit_if), 1);
    uint32_t sets = 0;
    for (uint32_t i = 0; i < blk.n; i++)
        sets += blk.insn[i].op == IR_OP_set && blk.insn[i].imm == 2;
    cr_expect_eq(sets, 2);
    /* a bad condition is caught */
    ir_block_init(&blk);
    IrRef w = ir_get(&blk, 1);
    ir_exit_if(&blk, IR_COND_EQ, w, w, 0x100, 1);
    blk.insn[blk.n - 1].aux = IR_COND_COUNT;
    ir_exit(&blk, 0);
    cr_expect_str_eq(bad(&blk), "bad condition");
}

Test(passes, dce_drops_unused_pure_values_but_not_loads)
{
    ir_block_init(&blk);
    IrRef v = ir_get(&blk, 1);
    ir_binop(&blk, IR_OP_mul, v, v);
    ir_load(&blk, IR_MEM_32, v, 4);           /* result unused, but it may fault */
    ir_call(&blk, true, (void *)1, v, IR_NONE, IR_NONE, 0);
    ir_exit(&blk, 0);
    ir_pass_dce(&blk);
    ok(&blk);
    cr_expect_eq(count(&blk, IR_OP_mul), 0);
    cr_expect_eq(count(&blk, IR_OP_callp), 0);
    cr_expect_eq(count(&blk, IR_OP_load), 1);
    cr_expect_eq(count(&blk, IR_OP_get), 1);
}

/* Simulates the allocated block: registers and frame slots hold value ids (a reload
 * carries the id it reloads); every operand must be found where its definition put it. */
static void check_alloc(const IrBlock *b, const IrHostRegs *h)
{
    int reg[32], frame[64];
    for (int i = 0; i < 32; i++) reg[i] = -1;
    for (int i = 0; i < 64; i++) frame[i] = -1;
    int id[IR_MAX_INSNS];
    for (uint32_t i = 0; i < b->n; i++) {
        const IrInsn *in = &b->insn[i];
        for (unsigned k = 0; k < 3; k++) {
            IrRef r = in->arg[k];
            if (r == IR_NONE || b->insn[r].op == IR_OP_const)
                continue;
            if (b->insn[r].reg == IR_NO_REG) { /* left in its slot: run_block checks it */
                cr_assert(b->insn[r].op == IR_OP_get || b->insn[r].op == IR_OP_reload,
                          "operand %u of %u has no register", k, i);
                cr_assert(h->from_memory[in->op] & (1u << k), "operand %u of %u read from memory", k, i);
                continue;
            }
            cr_assert_eq(reg[b->insn[r].reg], id[r], "operand %u of insn %u clobbered", k, i);
        }
        if (in->op == IR_OP_spill)
            frame[in->imm] = id[in->arg[0]];
        if (ir_info(in)->flags & IR_F_CALL)
            for (int r = 0; r < 32; r++)
                if (h->caller_saved & (1u << r))
                    reg[r] = -2;
        id[i] = in->op == IR_OP_reload ? frame[in->imm] : (int)i;
        if (in->op == IR_OP_reload)
            cr_assert_neq(id[i], -1, "reload of an unwritten slot");
        if (in->reg != IR_NO_REG)
            reg[in->reg] = id[i];
    }
}

/* Runs a block on concrete values: unallocated, each value is its own variable;
 * allocated, values live in registers (IrInsn.reg) and frame slots, a get or reload
 * left without a register is read from its slot when its user runs, and a call
 * clobbers the caller-saved registers. Supports the ops the tests below use. */
static void run_block(const IrBlock *b, const IrHostRegs *h, bool allocated, uint64_t *state)
{
    static uint64_t val[IR_MAX_INSNS];
    uint64_t reg[32], frame[64];
    for (int r = 0; r < 32; r++) reg[r] = 0xdead0000u + (unsigned)r;
    for (uint32_t i = 0; i < b->n; i++) {
        const IrInsn *in = &b->insn[i];
        uint64_t a[3] = {0, 0, 0};
        for (unsigned k = 0; k < 3; k++) {
            IrRef r = in->arg[k];
            if (r == IR_NONE)
                continue;
            const IrInsn *def = &b->insn[r];
            if (def->op == IR_OP_const)
                a[k] = (uint64_t)def->imm;
            else if (allocated && def->reg == IR_NO_REG)
                a[k] = def->op == IR_OP_get ? state[def->imm] : frame[def->imm];
            else
                a[k] = allocated ? reg[def->reg] : val[r];
        }
        uint64_t v = 0;
        switch ((IrOp)in->op) {
        case IR_OP_const: v = (uint64_t)in->imm; break;
        case IR_OP_get: v = state[in->imm]; break;
        case IR_OP_set: state[in->imm] = a[0]; break;
        case IR_OP_add: case IR_OP_xor: case IR_OP_mul: v = ir_eval((IrOp)in->op, 0, a[0], a[1]); break;
        case IR_OP_call: v = a[0] * 3 + a[1]; break;
        case IR_OP_spill: frame[in->imm] = a[0]; break;
        case IR_OP_reload: v = frame[in->imm]; break;
        default: break;
        }
        if (allocated && (ir_info(in)->flags & IR_F_CALL))
            for (int r = 0; r < 32; r++)
                if (h->caller_saved & (1u << r))
                    reg[r] = 0xbad;
        val[i] = v;
        if (allocated && in->reg != IR_NO_REG)
            reg[in->reg] = v;
    }
}

/* Allocates blk on host h and checks the allocated block computes the same state. */
static void expect_same_result(const IrHostRegs *h)
{
    ok(&blk);
    cr_assert(ir_regalloc(&blk, &out, h));
    ok(&out);
    check_alloc(&out, h);
    uint64_t s1[16], s2[16];
    for (int i = 0; i < 16; i++)
        s1[i] = s2[i] = 0x1000u * (unsigned)i + 7;
    run_block(&blk, h, false, s1);
    run_block(&out, h, true, s2);
    for (int i = 0; i < 16; i++)
        cr_expect_eq(s1[i], s2[i], "state slot %d differs", i);
}

Test(regalloc, spills_under_pressure_and_around_calls)
{
    /* Computed values have no home in the state: they go to the frame. */
    ir_block_init(&blk);
    IrRef v[6];
    for (int i = 0; i < 6; i++)
        v[i] = ir_binop(&blk, IR_OP_mul, ir_get(&blk, (uint32_t)i), ir_const(&blk, i + 2));
    IrRef c = ir_call(&blk, false, (void *)1, v[0], v[1], IR_NONE, 0);
    IrRef s = c;
    for (int i = 0; i < 6; i++)
        s = ir_binop(&blk, IR_OP_add, s, v[i]);
    ir_set(&blk, 10, s);
    ir_exit(&blk, 0);
    expect_same_result(&small);
    cr_expect_gt(count(&out, IR_OP_spill), 0);
    cr_expect_gt(count(&out, IR_OP_reload), 0);
}

Test(regalloc, values_equal_to_a_state_slot_come_back_from_it)
{
    /* Reads of state slots (and values just written to one) are evicted without a
     * spill and read again from their slot. */
    ir_block_init(&blk);
    IrRef v[6];
    for (int i = 0; i < 6; i++)
        v[i] = ir_get(&blk, (uint32_t)i);
    IrRef w = ir_binop(&blk, IR_OP_xor, v[0], v[1]);
    ir_set(&blk, 8, w);
    IrRef c = ir_call(&blk, false, (void *)1, v[0], v[1], IR_NONE, 0);
    IrRef s = c;
    for (int i = 0; i < 6; i++)
        s = ir_binop(&blk, IR_OP_add, s, v[i]);
    s = ir_binop(&blk, IR_OP_add, s, w);
    ir_set(&blk, 10, s);
    ir_exit(&blk, 0);
    expect_same_result(&small);
    cr_expect_eq(count(&out, IR_OP_spill), 0);
    cr_expect_gt(count(&out, IR_OP_get), 6);
}

Test(regalloc, a_value_outlives_the_slot_it_came_from)
{
    /* v0..v2 are evicted with slots 0..2 as homes, then those slots are overwritten
     * while the old values are still needed: they must be brought back first. */
    ir_block_init(&blk);
    IrRef v[6];
    for (int i = 0; i < 6; i++)
        v[i] = ir_get(&blk, (uint32_t)i);
    IrRef t = ir_binop(&blk, IR_OP_add, v[3], v[4]);
    t = ir_binop(&blk, IR_OP_add, t, v[5]);
    for (int i = 0; i < 3; i++)
        ir_set(&blk, (uint32_t)i, ir_binop(&blk, IR_OP_mul, t, ir_const(&blk, i + 3)));
    IrRef s = t;
    for (int i = 0; i < 6; i++)
        s = ir_binop(&blk, IR_OP_xor, s, v[i]);
    ir_set(&blk, 11, s);
    ir_exit(&blk, 0);
    expect_same_result(&small);
}

Test(regalloc, a_copied_value_lives_on_in_its_copy)
{
    /* mv t, s; then s is overwritten: the old value is still in t's slot, so under
     * pressure it is read back from there instead of going to the frame. */
    ir_block_init(&blk);
    IrRef v[6];
    for (int i = 0; i < 6; i++)
        v[i] = ir_get(&blk, (uint32_t)i);
    for (int i = 0; i < 3; i++)
        ir_set(&blk, (uint32_t)(6 + i), v[i]);             /* copies */
    IrRef t = ir_binop(&blk, IR_OP_add, v[3], v[4]);
    for (int i = 0; i < 3; i++)                              /* originals overwritten */
        ir_set(&blk, (uint32_t)i, ir_binop(&blk, IR_OP_mul, t, ir_const(&blk, i + 3)));
    IrRef s = ir_binop(&blk, IR_OP_add, t, v[5]);
    for (int i = 0; i < 6; i++)
        s = ir_binop(&blk, IR_OP_xor, s, v[i]);
    ir_set(&blk, 11, s);
    ir_exit(&blk, 0);
    expect_same_result(&small);
    cr_expect_eq(count(&out, IR_OP_spill), 0);
}

Test(regalloc, operands_the_host_reads_from_memory_stay_in_their_slots)
{
    /* The host reads add's and xor's second operand from memory: evicted values come
     * back from their home or frame slot only when they are a first operand, and a
     * slot about to be overwritten still brings its values back first. */
    static IrHostRegs mem = {.n = 3, .reg = {0, 1, 2}, .caller_saved = 3, .max_frame_slots = 8};
    mem.from_memory[IR_OP_add] = mem.from_memory[IR_OP_xor] = 1u << 1;
    ir_block_init(&blk);
    IrRef v[6], m[6];
    for (int i = 0; i < 6; i++) {
        v[i] = ir_get(&blk, (uint32_t)i);
        m[i] = ir_binop(&blk, IR_OP_mul, v[i], ir_const(&blk, i + 2)); /* homeless */
    }
    IrRef c = ir_call(&blk, false, (void *)1, v[0], v[1], IR_NONE, 0);
    IrRef s = c;
    for (int i = 0; i < 6; i++)
        s = ir_binop(&blk, IR_OP_add, s, m[i]);
    ir_set(&blk, 2, s); /* slot 2 overwritten while v[2] is needed */
    for (int i = 0; i < 6; i++)
        s = ir_binop(&blk, IR_OP_xor, s, v[i]);
    s = ir_binop(&blk, IR_OP_mul, s, v[3]);
    ir_set(&blk, 10, s);
    ir_exit(&blk, 0);
    expect_same_result(&mem);
    uint32_t in_place = 0;
    for (uint32_t i = 0; i < out.n; i++)
        in_place += (out.insn[i].op == IR_OP_get || out.insn[i].op == IR_OP_reload) &&
                    out.insn[i].reg == IR_NO_REG;
    cr_expect_gt(in_place, 0);
    /* and the same block on a host without memory operands brings every one back */
    expect_same_result(&small);
    for (uint32_t i = 0; i < out.n; i++)
        if (out.insn[i].op == IR_OP_get || out.insn[i].op == IR_OP_reload)
            cr_expect_neq(out.insn[i].reg, IR_NO_REG);
}

Test(regalloc, reports_a_full_frame)
{
    static const IrHostRegs tiny = {.n = 1, .reg = {0}, .caller_saved = 1, .max_frame_slots = 2};
    ir_block_init(&blk);
    IrRef v[5];
    for (int i = 0; i < 5; i++)
        v[i] = ir_get(&blk, (uint32_t)i);
    IrRef s = v[0];
    for (int i = 1; i < 5; i++)
        s = ir_binop(&blk, IR_OP_xor, s, v[i]);
    ir_set(&blk, 9, s);
    ir_exit(&blk, 0);
    cr_expect_not(ir_regalloc(&blk, &out, &tiny));
}
