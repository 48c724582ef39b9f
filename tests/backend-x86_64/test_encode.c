/* backend-x86_64 encoders: every form, with low and high registers, the rsp/rbp/r12/r13
 * base special cases, byte registers that need a bare REX, and immediates at the
 * 8/32/64-bit boundaries, must disassemble (capstone) to exactly the expected text.
 * Emitting everything into one buffer also checks lengths: a wrong length
 * misaligns every following instruction. */
#include <criterion/criterion.h>
#include <capstone/capstone.h>
#include <stdio.h>
#include <string.h>

#include "backend-x86_64/x64_encode.h"

static uint8_t mem[4096];
static CodeBuf c = {mem, 0x1000, sizeof mem, 0, false};
static const char *expect[256];
static unsigned n;

#define E(text, ...) do { __VA_ARGS__; expect[n++] = text; } while (0)

static void check_all(void)
{
    csh cs;
    cr_assert_eq(cs_open(CS_ARCH_X86, CS_MODE_64, &cs), CS_ERR_OK);
    cs_insn *insn;
    size_t got = cs_disasm(cs, mem, c.used, c.rx, 0, &insn);
    for (size_t i = 0; i < got && i < n; i++) {
        char text[sizeof insn[i].mnemonic + sizeof insn[i].op_str + 2];
        snprintf(text, sizeof text, "%s %s", insn[i].mnemonic, insn[i].op_str);
        size_t len = strlen(text);
        if (len && text[len - 1] == ' ')
            text[len - 1] = 0;
        cr_expect_str_eq(text, expect[i], "instruction %zu: got \"%s\", expected \"%s\"", i, text, expect[i]);
    }
    cr_expect_eq(got, n, "decoded %zu instructions, expected %u", got, n);
    cs_free(insn, got);
    cs_close(&cs);
}

static void reset(void)
{
    c.used = 0;
    c.overflow = false;
    n = 0;
}

Test(encode, alu_and_moves)
{
    reset();
    E("add rax, r9", x64_alu_rr(&c, X64_ADD, true, X64_RAX, X64_R9));
    E("sub r15d, esi", x64_alu_rr(&c, X64_SUB, false, X64_R15, X64_RSI));
    E("xor rdi, 0x7f", x64_alu_ri(&c, X64_XOR, true, X64_RDI, 127));
    E("and r10, 0x80", x64_alu_ri(&c, X64_AND, true, X64_R10, 128));
    E("or ecx, 0xffffff80", x64_alu_ri(&c, X64_OR, false, X64_RCX, -128));
    E("cmp rdx, qword ptr [rbx + rcx + 0x300]", x64_alu_rm(&c, X64_CMP, true, X64_RDX, x64_mem_idx(X64_RBX, X64_RCX, 1, 0x300)));
    E("add rax, qword ptr [r12 + r13*8 - 8]", x64_alu_rm(&c, X64_ADD, true, X64_RAX, x64_mem_idx(X64_R12, X64_R13, 8, -8)));
    E("cmp dword ptr [rbx + 0x43e8], 0", x64_alu_mi(&c, X64_CMP, false, x64_mem(X64_RBX, 0x43e8), 0));
    E("add qword ptr [rsp], 0x1000", x64_alu_mi(&c, X64_ADD, true, x64_mem(X64_RSP, 0), 0x1000));
    E("test r11d, r11d", x64_test_rr(&c, false, X64_R11, X64_R11));
    E("test sil, sil", x64_test8_rr(&c, X64_RSI, X64_RSI));
    E("test al, al", x64_test8_rr(&c, X64_RAX, X64_RAX));
    E("mov rbp, r14", x64_mov_rr(&c, true, X64_RBP, X64_R14));
    E("mov r8d, eax", x64_mov_rr(&c, false, X64_R8, X64_RAX));
    E("xor r9d, r9d", x64_mov_ri(&c, X64_R9, 0));
    E("mov esi, 0xffffffff", x64_mov_ri(&c, X64_RSI, 0xffffffffu));
    E("mov r12, -0x80", x64_mov_ri(&c, X64_R12, (uint64_t)-128));
    E("movabs rax, 0x123456789a", x64_mov_ri(&c, X64_RAX, 0x123456789aull));
    check_all();
}

Test(encode, shifts_multiplies_extensions)
{
    reset();
    E("shl r13, 0x3f", x64_shift_ri(&c, X64_SHL, true, X64_R13, 63));
    E("shr ecx, 5", x64_shift_ri(&c, X64_SHR, false, X64_RCX, 5));
    E("sar rsi, cl", x64_shift_cl(&c, X64_SAR, true, X64_RSI));
    E("ror r8d, cl", x64_shift_cl(&c, X64_ROR, false, X64_R8));
    E("rorx r10d, r15d, 0xb", x64_rorx(&c, false, X64_R10, X64_R15, 11));
    E("rorx rsi, rdi, 0x3f", x64_rorx(&c, true, X64_RSI, X64_RDI, 63));
    E("rorx r9, rax, 1", x64_rorx(&c, true, X64_R9, X64_RAX, 1));
    E("imul rdi, r11", x64_imul_rr(&c, true, X64_RDI, X64_R11));
    E("imul r9d, eax, 0x64", x64_imul_rri(&c, false, X64_R9, X64_RAX, 100));
    E("imul rsi, rbp, 0x10000", x64_imul_rri(&c, true, X64_RSI, X64_RBP, 0x10000));
    E("mul r10", x64_mul_r(&c, false, X64_R10));
    E("imul rsi", x64_mul_r(&c, true, X64_RSI));
    E("movsx rax, dil", x64_movsx_rr(&c, 8, X64_RAX, X64_RDI));
    E("movsx r15, r9w", x64_movsx_rr(&c, 16, X64_R15, X64_R9));
    E("movsxd rsi, esi", x64_movsx_rr(&c, 32, X64_RSI, X64_RSI));
    E("movzx edx, bpl", x64_movzx_rr(&c, 8, X64_RDX, X64_RBP));
    E("movzx r11d, cx", x64_movzx_rr(&c, 16, X64_R11, X64_RCX));
    E("mov edi, edi", x64_movzx_rr(&c, 32, X64_RDI, X64_RDI));
    E("setl sil", x64_setcc(&c, X64_CC_L, X64_RSI));
    E("setae r8b", x64_setcc(&c, X64_CC_AE, X64_R8));
    check_all();
}

Test(encode, memory_forms)
{
    reset();
    E("movsx r9, byte ptr [rax]", x64_load(&c, 8, true, X64_R9, x64_mem(X64_RAX, 0)));
    E("movzx rsi, word ptr [r13]", x64_load(&c, 16, false, X64_RSI, x64_mem(X64_R13, 0)));
    E("movsxd rdi, dword ptr [rbp + 4]", x64_load(&c, 32, true, X64_RDI, x64_mem(X64_RBP, 4)));
    E("mov r10d, dword ptr [r12]", x64_load(&c, 32, false, X64_R10, x64_mem(X64_R12, 0)));
    E("mov rcx, qword ptr [rsp + 0x1f8]", x64_load(&c, 64, false, X64_RCX, x64_mem(X64_RSP, 0x1f8)));
    E("mov byte ptr [rax], sil", x64_store(&c, 8, x64_mem(X64_RAX, 0), X64_RSI));
    E("mov word ptr [rax], r8w", x64_store(&c, 16, x64_mem(X64_RAX, 0), X64_R8));
    E("mov dword ptr [rbx + 0x80], edi", x64_store(&c, 32, x64_mem(X64_RBX, 0x80), X64_RDI));
    E("mov qword ptr [rbx + 0x208], r15", x64_store(&c, 64, x64_mem(X64_RBX, 0x208), X64_R15));
    E("mov byte ptr [rax], 0xff", x64_store_imm(&c, 8, x64_mem(X64_RAX, 0), -1));
    E("mov word ptr [rax], 0x1234", x64_store_imm(&c, 16, x64_mem(X64_RAX, 0), 0x1234));
    E("mov dword ptr [r11 + 8], 0x7fffffff", x64_store_imm(&c, 32, x64_mem(X64_R11, 8), 0x7fffffff));
    E("mov qword ptr [rbx + 0x18], -0x1000", x64_store_imm(&c, 64, x64_mem(X64_RBX, 0x18), -4096));
    E("lea rax, [rsi - 0x800]", x64_lea(&c, X64_RAX, x64_mem(X64_RSI, -0x800)));
    E("lea r8, [r12 + 0x10]", x64_lea(&c, X64_R8, x64_mem(X64_R12, 0x10)));
    /* no base register: flat guest memory low in the host is [address register + disp32] */
    E("mov r11, qword ptr [r13 + 0x101008]", x64_load(&c, 64, false, X64_R11, x64_mem(X64_R13, 0x101008)));
    E("mov rax, qword ptr [0x101000]", x64_load(&c, 64, false, X64_RAX, x64_mem(X64_NO_REG, 0x101000)));
    E("mov dword ptr [0x7ffff000], r9d", x64_store(&c, 32, x64_mem(X64_NO_REG, 0x7ffff000), X64_R9));
    E("movzx r12, byte ptr [r10*8 + 0x100]", x64_load(&c, 8, false, X64_R12, x64_mem_idx(X64_NO_REG, X64_R10, 8, 0x100)));
    check_all();
}

Test(encode, scalar_floating_point)
{
    reset();
    E("movq xmm0, rdi", x64_movq_xr(&c, true, 0, X64_RDI));
    E("movq xmm9, r11", x64_movq_xr(&c, true, 9, X64_R11));
    E("movd xmm1, esi", x64_movq_xr(&c, false, 1, X64_RSI));
    E("movq rax, xmm0", x64_movq_rx(&c, true, X64_RAX, 0));
    E("movd r10d, xmm2", x64_movq_rx(&c, false, X64_R10, 2));
    E("movq xmm15, qword ptr [rbx + 0x218]", x64_movq_xm(&c, 15, x64_mem(X64_RBX, 0x218)));
    E("movq qword ptr [rbx + 0x218], xmm15", x64_movq_mx(&c, x64_mem(X64_RBX, 0x218), 15));
    E("movq xmm2, qword ptr [r12 + 8]", x64_movq_xm(&c, 2, x64_mem(X64_R12, 8)));
    /* rip-relative: the displacement counts from the end of the instruction (9 and 8 bytes) */
    E("paddq xmm15, xmmword ptr [rip + 0x100]", x64_paddq_x_riprel(&c, 15, code_buf_rx_pos(&c) + 9 + 0x100));
    E("paddq xmm1, xmmword ptr [rip - 0x20]", x64_paddq_x_riprel(&c, 1, code_buf_rx_pos(&c) + 8 - 0x20));
    E("ldmxcsr dword ptr [rip + 0x40]", x64_ldmxcsr_riprel(&c, code_buf_rx_pos(&c) + 7 + 0x40));
    E("stmxcsr dword ptr [rsp - 8]", x64_stmxcsr(&c, x64_mem(X64_RSP, -8)));
    E("stmxcsr dword ptr [r13 + 0x200]", x64_stmxcsr(&c, x64_mem(X64_R13, 0x200)));
    E("lea rdx, [rip - 0x100]", x64_lea_riprel(&c, X64_RDX, code_buf_rx_pos(&c) + 7 - 0x100));
    E("lea r9, [rip + 0x10]", x64_lea_riprel(&c, X64_R9, code_buf_rx_pos(&c) + 7 + 0x10));
    E("addsd xmm0, xmm1", x64_sse_rr(&c, X64_SSE_ADD, true, 0, 1));
    E("movsd xmm3, xmm2", x64_sse_rr(&c, X64_SSE_MOV, true, 3, 2));
    E("movss xmm5, xmm0", x64_sse_rr(&c, X64_SSE_MOV, false, 5, 0));
    E("subss xmm8, xmm2", x64_sse_rr(&c, X64_SSE_SUB, false, 8, 2));
    E("mulsd xmm2, xmm15", x64_sse_rr(&c, X64_SSE_MUL, true, 2, 15));
    E("divss xmm0, xmm1", x64_sse_rr(&c, X64_SSE_DIV, false, 0, 1));
    E("sqrtsd xmm0, xmm0", x64_sse_rr(&c, X64_SSE_SQRT, true, 0, 0));
    E("cvtsd2ss xmm0, xmm0", x64_sse_rr(&c, X64_SSE_CVT, true, 0, 0));
    E("cvtss2sd xmm1, xmm0", x64_sse_rr(&c, X64_SSE_CVT, false, 1, 0));
    E("ucomisd xmm0, xmm1", x64_ucomis_rr(&c, true, 0, 1));
    E("ucomiss xmm10, xmm3", x64_ucomis_rr(&c, false, 10, 3));
    E("vfmadd231sd xmm0, xmm1, xmm2", x64_vfma231(&c, X64_FMADD, true, 0, 1, 2));
    E("vfmsub231ss xmm0, xmm1, xmm2", x64_vfma231(&c, X64_FMSUB, false, 0, 1, 2));
    E("vfnmadd231sd xmm8, xmm14, xmm9", x64_vfma231(&c, X64_FNMADD, true, 8, 14, 9));
    E("vfnmsub231ss xmm3, xmm4, xmm12", x64_vfma231(&c, X64_FNMSUB, false, 3, 4, 12));
    E("cvtsi2sd xmm0, rdx", x64_cvtsi2s(&c, true, true, 0, X64_RDX));
    E("cvtsi2ss xmm1, r9d", x64_cvtsi2s(&c, false, false, 1, X64_R9));
    E("cvttsd2si eax, xmm0", x64_cvts2si(&c, true, false, true, X64_RAX, 0));
    E("cvtsd2si r12, xmm1", x64_cvts2si(&c, true, true, false, X64_R12, 1));
    E("cvttss2si rax, xmm11", x64_cvts2si(&c, false, true, true, X64_RAX, 11));
    E("cvtss2si ecx, xmm0", x64_cvts2si(&c, false, false, false, X64_RCX, 0));
    E("cmova rax, rsi", x64_cmov_rr(&c, X64_CC_A, true, X64_RAX, X64_RSI));
    E("cmovb r9d, ecx", x64_cmov_rr(&c, X64_CC_B, false, X64_R9, X64_RCX));
    E("test byte ptr [rbx + 0x210], 1", x64_test8_mi(&c, x64_mem(X64_RBX, 0x210), 1));
    E("test byte ptr [r12 + 0x80], 0x80", x64_test8_mi(&c, x64_mem(X64_R12, 0x80), 0x80));
    check_all();
}

Test(encode, control_and_labels)
{
    reset();
    X64Labels l;
    x64_labels_init(&l);
    uint32_t fwd = x64_label_new(&l), back = x64_label_new(&l);
    x64_label_bind(&l, back, &c);                                  /* at 0x1000 */
    E("push rbx", x64_push(&c, X64_RBX));
    E("push r15", x64_push(&c, X64_R15));
    E("pop r12", x64_pop(&c, X64_R12));
    E("jne 0x1000", x64_jcc_label(&c, &l, X64_CC_NE, back));      /* 0x1005, 6 bytes */
    E("jmp 0x1016", x64_jmp_label(&c, &l, fwd));                   /* 0x100b, 5 bytes */
    E("call rax", x64_call_r(&c, X64_RAX));                         /* 0x1010, 2 bytes */
    E("jmp qword ptr [rdx + rcx + 8]", x64_jmp_m(&c, x64_mem_idx(X64_RDX, X64_RCX, 1, 8)));
    x64_label_bind(&l, fwd, &c);                                   /* 0x1016 */
    E("ret", x64_ret(&c));
    E("jmp r9", x64_jmp_r(&c, X64_R9));
    E("lock or dword ptr [rsp], 0", x64_store_load_barrier(&c));
    E("jmp 0x2000", x64_jmp_rel32(&c, 0x2000));
    E("jbe 0x1000", x64_jcc_rel32(&c, X64_CC_BE, 0x1000));
    E("call 0x3000", x64_call_rel32(&c, 0x3000));
    cr_assert(x64_labels_resolve(&l, &c));
    cr_assert_eq(l.pos[fwd], 0x16, "label offset %d", l.pos[fwd]);
    check_all();

    /* patching: retarget the rel32 jump, then overwrite ret with a jmp */
    reset();
    uint32_t site = x64_jmp_rel32(&c, 0x1000);
    x64_patch_rel32(mem + site, c.rx + site, 0x3000);
    x64_ret(&c);
    x64_ret(&c);
    x64_ret(&c);
    x64_ret(&c);
    x64_ret(&c);
    x64_patch_jmp(mem + 5, c.rx + 5, 0x1000);
    expect[0] = "jmp 0x3000";
    expect[1] = "jmp 0x1000";
    n = 2;
    check_all();
}

Test(encode, unbound_label_fails)
{
    reset();
    X64Labels l;
    x64_labels_init(&l);
    x64_jmp_label(&c, &l, x64_label_new(&l));
    cr_expect_not(x64_labels_resolve(&l, &c));
}
