/* alu.c — RV64I integer ops, control transfer and the M extension, with corner cases:
 * shifts by register amounts >= width (only the low 6/5 bits count), sign extension of
 * every *w result, lui/auipc with negative immediates, every branch taken and not taken
 * (signed vs unsigned), jal/jalr link values, jalr to an odd target (bit 0 cleared),
 * jalr with rd == rs1, div/rem by zero and INT_MIN / -1, mulh/mulhsu/mulhu signs.
 * Expected values come from the ISA manual (unprivileged spec, chapters RV32I/RV64I/M). */
#include "rt.h"

#define MIN64 0x8000000000000000ull
#define MAX64 0x7fffffffffffffffull
#define NEG(x) ((u64) - (i64)(x))

/* 1 if the branch OP was taken. */
#define BR(op, a, b)                                                                   \
    ({                                                                                 \
        u64 _t;                                                                        \
        __asm__ volatile("li %0,1\n " op " %1,%2,1f\n li %0,0\n1:"                     \
                         : "=&r"(_t)                                                   \
                         : "r"((u64)(a)), "r"((u64)(b)));                              \
        _t;                                                                            \
    })

static void rv64i_arith(void)
{
    group("rv64i register-register");
    check("add", RR("add", 1, 2), 3);
    check("add wrap", RR("add", MAX64, 1), MIN64);
    check("sub", RR("sub", 0, 1), NEG(1));
    check("sub wrap", RR("sub", MIN64, 1), MAX64);
    check("sll 3", RR("sll", 1, 3), 8);
    check("sll 67 (uses 3)", RR("sll", 1, 67), 8);
    check("sll 64 (uses 0)", RR("sll", 0x1234, 64), 0x1234);
    check("srl 63", RR("srl", MIN64, 63), 1);
    check("srl -1 (uses 63)", RR("srl", MIN64, NEG(1)), 1);
    check("sra 63", RR("sra", MIN64, 63), NEG(1));
    check("sra 0x7f", RR("sra", MIN64, 0x7f), NEG(1));
    check("sra 68 (uses 4)", RR("sra", 0x8000000000000010ull, 68), 0xf800000000000001ull);
    check("slt -1<1", RR("slt", NEG(1), 1), 1);
    check("slt 1<-1", RR("slt", 1, NEG(1)), 0);
    check("slt eq", RR("slt", 5, 5), 0);
    check("sltu -1<1", RR("sltu", NEG(1), 1), 0);
    check("sltu 1<-1", RR("sltu", 1, NEG(1)), 1);
    check("sltu 0<x (snez)", RR("sltu", 0, 7), 1);
    check("xor", RR("xor", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull), 0xf0f0f0f0f0f0f0f0ull);
    check("or", RR("or", 0xff00000000000000ull, 0x00000000000000ffull), 0xff000000000000ffull);
    check("and", RR("and", 0xff00ff00ff00ff00ull, 0x0ff00ff00ff00ff0ull), 0x0f000f000f000f00ull);

    group("rv64i register-immediate");
    check("addi -2048", RI("addi", 5, -2048), NEG(2043));
    check("addi 2047", RI("addi", 1, 2047), 2048);
    check("slti -5<-4", RI("slti", NEG(5), -4), 1);
    check("slti 5<-4", RI("slti", 5, -4), 0);
    check("sltiu 5<-1(huge)", RI("sltiu", 5, -1), 1);
    check("sltiu -1<-1", RI("sltiu", NEG(1), -1), 0);
    check("sltiu 0<1 (seqz)", RI("sltiu", 0, 1), 1);
    check("sltiu 9<1", RI("sltiu", 9, 1), 0);
    check("xori -1 (not)", RI("xori", 0x0123456789abcdefull, -1), 0xfedcba9876543210ull);
    check("xori 0x7ff", RI("xori", 0xff, 0x7ff), 0x700);
    check("ori -2048", RI("ori", 1, -2048), 0xfffffffffffff801ull);
    check("andi -2048", RI("andi", NEG(1), -2048), 0xfffffffffffff800ull);
    check("andi 0x7ff", RI("andi", NEG(1), 0x7ff), 0x7ff);
    check("slli 63", RI("slli", 3, 63), MIN64);
    check("srli 63", RI("srli", NEG(1), 63), 1);
    check("srli 0", RI("srli", NEG(1), 0), NEG(1));
    check("srai 63", RI("srai", MIN64, 63), NEG(1));
    check("srai 1", RI("srai", MIN64, 1), 0xc000000000000000ull);

    group("rv64i word ops (sign extension)");
    check("addiw wrap", RI("addiw", 0x7fffffff, 1), 0xffffffff80000000ull);
    check("addiw 0 (sext.w)", RI("addiw", 0x123456789ull, 0), 0x23456789);
    check("addiw 0 neg", RI("addiw", 0x00000000ffffffffull, 0), NEG(1));
    check("addiw -1", RI("addiw", 0x100000000ull, -1), NEG(1));
    check("slliw 31", RI("slliw", 1, 31), 0xffffffff80000000ull);
    check("slliw drops high", RI("slliw", 0xffffffff00000003ull, 1), 6);
    check("srliw 31", RI("srliw", 0x80000000, 31), 1);
    check("srliw 0 (sext)", RI("srliw", 0x80000000, 0), 0xffffffff80000000ull);
    check("srliw 4 ignores high", RI("srliw", 0xffffffff80000000ull, 4), 0x08000000);
    check("sraiw 4", RI("sraiw", 0x80000000, 4), 0xfffffffff8000000ull);
    check("sraiw 31", RI("sraiw", 0x7fffffff00000000ull, 31), 0);
    check("addw wrap", RR("addw", 0x7fffffff, 1), 0xffffffff80000000ull);
    check("addw ignores high", RR("addw", 0x1234567800000001ull, 0xabcdef0000000002ull), 3);
    check("subw", RR("subw", 0, 0x80000000), 0xffffffff80000000ull);
    check("subw neg", RR("subw", 1, 2), NEG(1));
    check("sllw 63 (uses 31)", RR("sllw", 1, 63), 0xffffffff80000000ull);
    check("sllw 32 (uses 0)", RR("sllw", 0x87654321, 32), 0xffffffff87654321ull);
    check("srlw 63 (uses 31)", RR("srlw", 0x80000000, 63), 1);
    check("srlw 0 (sext)", RR("srlw", 0xfffffffff, 0), NEG(1));
    check("srlw 1", RR("srlw", 0xffffffff, 1), 0x7fffffff);
    check("sraw 33 (uses 1)", RR("sraw", 0x80000000, 33), 0xffffffffc0000000ull);
    check("sraw 0", RR("sraw", 0x180000000ull, 0), 0xffffffff80000000ull);

    group("lui/auipc");
    check("lui 0x80000", ({ u64 d; __asm__ volatile("lui %0,0x80000" : "=r"(d)); d; }),
          0xffffffff80000000ull);
    check("lui 0xfffff", ({ u64 d; __asm__ volatile("lui %0,0xfffff" : "=r"(d)); d; }),
          0xfffffffffffff000ull);
    check("lui 0x7ffff", ({ u64 d; __asm__ volatile("lui %0,0x7ffff" : "=r"(d)); d; }),
          0x7ffff000ull);
    /* auipc relative to its own address (read with lla); negative offsets subtract. */
    check("auipc 0xfffff", ({
              u64 a, l;
              __asm__ volatile("1: auipc %0,0xfffff\n lla %1,1b" : "=r"(a), "=r"(l));
              l - a;
          }),
          0x1000);
    check("auipc 0x80000", ({
              u64 a, l;
              __asm__ volatile("1: auipc %0,0x80000\n lla %1,1b" : "=r"(a), "=r"(l));
              l - a;
          }),
          0x80000000ull);
    check("auipc 0", ({
              u64 a, l;
              __asm__ volatile("1: auipc %0,0\n lla %1,1b" : "=r"(a), "=r"(l));
              l - a;
          }),
          0);
}

static void rv64i_control(void)
{
    group("branches");
    check("beq taken", BR("beq", 5, 5), 1);
    check("beq not", BR("beq", 5, 6), 0);
    check("bne taken", BR("bne", 5, 6), 1);
    check("bne not", BR("bne", MIN64, MIN64), 0);
    check("blt -1<1 taken", BR("blt", NEG(1), 1), 1);
    check("blt 1<-1 not", BR("blt", 1, NEG(1)), 0);
    check("blt eq not", BR("blt", 3, 3), 0);
    check("bge eq taken", BR("bge", 3, 3), 1);
    check("bge -1>=1 not", BR("bge", NEG(1), 1), 0);
    check("bge 1>=-1 taken", BR("bge", 1, NEG(1)), 1);
    check("bltu 1<-1 taken", BR("bltu", 1, NEG(1)), 1);
    check("bltu -1<1 not", BR("bltu", NEG(1), 1), 0);
    check("bgeu -1>=1 taken", BR("bgeu", NEG(1), 1), 1);
    check("bgeu 1>=-1 not", BR("bgeu", 1, NEG(1)), 0);
    check("bgeu eq taken", BR("bgeu", 0, 0), 1);
    /* A backward branch loop: sum 1..100. */
    check("loop sum", ({
              u64 s = 0, i = 100;
              __asm__ volatile("1: add %0,%0,%1\n addi %1,%1,-1\n bnez %1,1b"
                               : "+r"(s), "+r"(i));
              s;
          }),
          5050);

    group("jal/jalr");
    /* jal's link is the address of the next instruction. */
    check("jal link", ({
              u64 ln, l;
              __asm__ volatile(".option push\n.option norvc\n"
                               "jal %0,1f\n 1: lla %1,1b\n.option pop"
                               : "=&r"(ln), "=r"(l));
              ln - l;
          }),
          0);
    /* jal forward over code that must not run. */
    check("jal skip", ({
              u64 v = 1;
              __asm__ volatile("jal x0,1f\n li %0,99\n1:" : "+r"(v));
              v;
          }),
          1);
    /* jalr to target+1: the low bit is cleared, so it lands exactly on the target. */
    {
        u64 ln, t, v = 0, after;
        __asm__ volatile(".option push\n.option norvc\n"
                         "lla %1, 2f\n addi %1,%1,1\n"
                         "jalr %0, 0(%1)\n"
                         "1: li %2, 99\n j 3f\n"
                         "2: addi %2,%2,1\n"
                         "3: lla %3, 1b\n"
                         ".option pop"
                         : "=&r"(ln), "=&r"(t), "+&r"(v), "=&r"(after));
        check("jalr odd target ran", v, 1);
        check("jalr odd target link", ln - after, 0);
    }
    /* jalr with a negative offset and rd == rs1: the target uses the old value. */
    {
        u64 r, v = 0, l;
        __asm__ volatile(".option push\n.option norvc\n"
                         "lla %0, 2f+16\n"
                         "jalr %0, -16(%0)\n"
                         "1: li %1, 99\n j 3f\n"
                         "2: addi %1,%1,7\n"
                         "3: lla %2, 1b\n"
                         ".option pop"
                         : "=&r"(r), "+&r"(v), "=&r"(l));
        check("jalr rd==rs1 ran", v, 7);
        check("jalr rd==rs1 link", r - l, 0);
    }
    /* A real call/return through jal ra / jalr ra (ret). */
    check("call/ret", ({
              u64 v;
              __asm__ volatile("call 1f\n j 2f\n1: li %0, 42\n ret\n2:" : "=r"(v) : : "ra");
              v;
          }),
          42);

    group("fence/pause");
    __asm__ volatile("fence\n fence rw,rw\n fence r,r\n fence w,w\n fence iorw,iorw\n"
                     "fence.tso\n pause\n fence.i" ::: "memory");
    check("fences executed", 1, 1);
}

static void rv64m(void)
{
    group("mul/mulh");
    check("mul", RR("mul", 3, NEG(2)), NEG(6));
    check("mul low of 2^64", RR("mul", 0x100000000ull, 0x100000000ull), 0);
    check("mul wrap", RR("mul", MAX64, 2), NEG(2));
    check("mulh -1*-1", RR("mulh", NEG(1), NEG(1)), 0);
    check("mulh min*min", RR("mulh", MIN64, MIN64), 0x4000000000000000ull);
    check("mulh -2*3", RR("mulh", NEG(2), 3), NEG(1));
    check("mulh max*2", RR("mulh", MAX64, 2), 0);
    check("mulh min*-1", RR("mulh", MIN64, NEG(1)), 0);
    check("mulhu -1*-1", RR("mulhu", NEG(1), NEG(1)), 0xfffffffffffffffeull);
    check("mulhu min*2", RR("mulhu", MIN64, 2), 1);
    check("mulhsu -1*(2^64-1)", RR("mulhsu", NEG(1), NEG(1)), NEG(1));
    check("mulhsu 2*(2^64-1)", RR("mulhsu", 2, NEG(1)), 1);
    check("mulhsu min*2^63", RR("mulhsu", MIN64, MIN64), 0xc000000000000000ull);
    check("mulhsu -1*1", RR("mulhsu", NEG(1), 1), NEG(1));
    check("mulhsu 5*0", RR("mulhsu", 5, 0), 0);
    check("mulw sext", RR("mulw", 0x7fffffff, 2), NEG(2));
    check("mulw ignores high", RR("mulw", 0x100000003ull, 0x500000005ull), 15);
    check("mulw wrap", RR("mulw", 0x10000, 0x10000), 0);

    group("div/rem");
    check("div 7/-2", RR("div", 7, NEG(2)), NEG(3));
    check("rem 7%-2", RR("rem", 7, NEG(2)), 1);
    check("rem -7%2", RR("rem", NEG(7), 2), NEG(1));
    check("div by 0", RR("div", 42, 0), NEG(1));
    check("rem by 0", RR("rem", NEG(42), 0), NEG(42));
    check("divu by 0", RR("divu", 42, 0), NEG(1));
    check("remu by 0", RR("remu", 42, 0), 42);
    check("div min/-1", RR("div", MIN64, NEG(1)), MIN64);
    check("rem min%-1", RR("rem", MIN64, NEG(1)), 0);
    check("divu -1/2", RR("divu", NEG(1), 2), MAX64);
    check("remu -1%10", RR("remu", NEG(1), 10), 5);
    check("divu min/-1", RR("divu", MIN64, NEG(1)), 0);
    check("divw min/-1", RR("divw", 0x80000000, NEG(1)), 0xffffffff80000000ull);
    check("remw min%-1", RR("remw", 0x80000000, NEG(1)), 0);
    check("divw by 0", RR("divw", 5, 0xffffffff00000000ull), NEG(1));
    check("remw by 0 (sext)", RR("remw", 0x180000000ull, 0), 0xffffffff80000000ull);
    check("divuw by 0", RR("divuw", 5, 0), NEG(1));
    check("remuw by 0 (sext)", RR("remuw", 0x180000000ull, 0), 0xffffffff80000000ull);
    check("divw ignores high", RR("divw", 0x12345678fffffff9ull, 2), NEG(3));
    check("remw ignores high", RR("remw", 0x12345678fffffff9ull, 2), NEG(1));
    check("divuw", RR("divuw", 0xfffffffffffffffeull, 2), 0x7fffffff);
    check("divuw sext", RR("divuw", 0xffffffff, 1), NEG(1));
    check("remuw", RR("remuw", 0xffffffff, 10), 5);
}

int main(void)
{
    rv64i_arith();
    rv64i_control();
    rv64m();
    return 0;
}
