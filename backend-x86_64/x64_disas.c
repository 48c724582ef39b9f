/* Host code disassembly with capstone, for -d out_asm and the encoder tests. */
#include "backend-x86_64/x64.h"

#include <capstone/capstone.h>
#include <inttypes.h>

void x64_disas(FILE *out, const uint8_t *code, size_t size, uint64_t addr)
{
    csh cs;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
        fprintf(out, "  (capstone unavailable)\n");
        return;
    }
    cs_insn *insn;
    size_t n = cs_disasm(cs, code, size, addr, 0, &insn);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  0x%" PRIx64 ":  %-8s %s\n", insn[i].address, insn[i].mnemonic, insn[i].op_str);
    if (n)
        cs_free(insn, n);
    cs_close(&cs);
}
