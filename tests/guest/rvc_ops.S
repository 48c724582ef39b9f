/* rvc_ops.S — executes every RV64C instruction form (written as explicit c.* mnemonics
 * under .option rvc, so the assembler cannot fall back to 32-bit encodings) and stores
 * one result per case into the u64 array passed in a0. Returns the number of results.
 * rvc.c holds the expected values. Each case is self-contained; the comment gives the
 * expected value. Covered: c.addi4spn c.fld c.lw c.ld c.fsd c.sw c.sd c.nop c.addi
 * c.addiw c.li c.addi16sp c.lui c.srli c.srai c.andi c.sub c.xor c.or c.and c.subw
 * c.addw c.j c.beqz c.bnez c.slli c.fldsp c.lwsp c.ldsp c.jr c.mv c.ebreak(in
 * fault-cebreak) c.jalr c.add c.fsdsp c.swsp c.sdsp. (c.jal, c.flw, c.fsw, c.flwsp,
 * c.fswsp are RV32-only.) */
    .option rvc
    .text

/* Store one result (a compressible register) and advance the output pointer s1. */
.macro OUT r
    c.sd \r, 0(s1)
    c.addi s1, 8
.endm

    .globl rvc_run
    .type rvc_run, @function
rvc_run:
    c.addi16sp sp, -64
    c.sdsp ra, 56(sp)
    c.sdsp s0, 48(sp)
    c.sdsp s1, 40(sp)
    c.mv s1, a0
    c.mv s0, a0

    c.li a0, -32                 /* 0: c.li sign-extends: -32 */
    OUT a0
    c.li a1, 31
    c.addi a1, -32               /* 1: c.addi negative: -1 */
    OUT a1
    c.lui a2, 0xfffe0            /* 2: c.lui negative: 0xfffffffffffe0000 */
    OUT a2
    c.lui a3, 0x1f               /* 3: c.lui positive: 0x1f000 */
    OUT a3
    li a4, 0x7fffffff
    c.addiw a4, 1                /* 4: c.addiw wraps and sign-extends: 0xffffffff80000000 */
    OUT a4
    li a5, 0x180000000
    c.addiw a5, 0                /* 5: c.addiw 0 = sext.w: 0xffffffff80000000 */
    OUT a5
    c.addi4spn a0, sp, 16        /* 6: c.addi4spn: sp+16 - sp = 16 */
    c.mv a1, sp
    c.sub a0, a1
    OUT a0
    c.mv a1, sp                  /* 7: c.addi16sp: +32 then back: 32 */
    c.addi16sp sp, 32
    c.mv a2, sp
    c.addi16sp sp, -32
    c.sub a2, a1
    OUT a2
    c.li a0, 3
    c.slli a0, 63                /* 8: c.slli 63: 0x8000000000000000 */
    OUT a0
    c.li a0, -1
    c.srli a0, 60                /* 9: c.srli: 0xf */
    OUT a0
    c.li a0, -16
    c.srai a0, 2                 /* 10: c.srai: -4 */
    OUT a0
    c.li a0, 1
    c.slli a0, 63
    c.srai a0, 63                /* 11: c.srai 63 of min: -1 */
    OUT a0
    c.li a0, -1
    c.andi a0, -32               /* 12: c.andi negative: 0xffffffffffffffe0 */
    OUT a0
    c.li a0, -1
    c.andi a0, 21                /* 13: c.andi positive: 21 */
    OUT a0
    li a0, 0xff0
    li a1, 0xff
    c.sub a0, a1                 /* 14: c.sub: 0xef1 */
    OUT a0
    li a0, 0xff0
    c.xor a0, a1                 /* 15: c.xor: 0xf0f */
    OUT a0
    li a0, 0xff0
    c.or a0, a1                  /* 16: c.or: 0xfff */
    OUT a0
    li a0, 0xff0
    c.and a0, a1                 /* 17: c.and: 0xf0 */
    OUT a0
    c.li a0, 0
    li a1, 0x80000000
    c.subw a0, a1                /* 18: c.subw: 0xffffffff80000000 */
    OUT a0
    li a0, 0x7fffffff
    c.li a1, 1
    c.addw a0, a1                /* 19: c.addw wraps: 0xffffffff80000000 */
    OUT a0
    li a0, 0x100000005
    li a1, 0x200000003
    c.addw a0, a1                /* 20: c.addw ignores high halves: 8 */
    OUT a0
    c.li t0, 7
    c.mv t1, t0
    c.add t1, t0                 /* 21: c.mv/c.add on non-compressed-set regs: 14 */
    c.mv a0, t1
    OUT a0

    c.addi4spn a3, sp, 8         /* a3 = scratch area sp+8 .. sp+39 */
    li a0, 0x80000000
    c.sw a0, 0(a3)
    c.lw a1, 0(a3)               /* 22: c.lw sign-extends: 0xffffffff80000000 */
    OUT a1
    li a0, 0x123456789abcdef0
    c.sd a0, 8(a3)
    c.ld a1, 8(a3)               /* 23: c.sd/c.ld: 0x123456789abcdef0 */
    OUT a1
    c.swsp a0, 16(sp)
    c.lwsp t2, 16(sp)            /* 24: c.swsp/c.lwsp: 0xffffffff9abcdef0 */
    c.mv a5, t2
    OUT a5
    c.sdsp a0, 24(sp)
    c.ldsp t2, 24(sp)            /* 25: c.sdsp/c.ldsp: 0x123456789abcdef0 */
    c.mv a5, t2
    OUT a5
    c.li a0, -3
    fmv.d.x fa0, a0
    c.fsd fa0, 0(a3)
    c.fld fa1, 0(a3)             /* 26: c.fsd/c.fld raw bits: 0xfffffffffffffffd */
    fmv.x.d a0, fa1
    OUT a0
    li a0, 0x7ff0000000000001
    fmv.d.x fa0, a0
    c.fsdsp fa0, 32(sp)
    c.fldsp ft5, 32(sp)          /* 27: c.fsdsp/c.fldsp keep an sNaN: 0x7ff0000000000001 */
    fmv.x.d a0, ft5
    OUT a0

    c.li a0, 1
    c.j 1f
    c.li a0, 2
1:  OUT a0                       /* 28: c.j skips: 1 */
    c.li a0, 0
    c.li a1, 5
    c.beqz a0, 1f
    c.li a1, 6
1:  OUT a1                       /* 29: c.beqz taken: 5 */
    c.li a0, 1
    c.li a1, 5
    c.beqz a0, 1f
    c.li a1, 6
1:  OUT a1                       /* 30: c.beqz not taken: 6 */
    c.li a0, -1
    c.li a1, 5
    c.bnez a0, 1f
    c.li a1, 6
1:  OUT a1                       /* 31: c.bnez taken (negative): 5 */
    c.li a0, 0
    c.li a1, 5
    c.bnez a0, 1f
    c.li a1, 6
1:  OUT a1                       /* 32: c.bnez not taken: 6 */
    lla t0, 1f
    c.li a1, 5
    c.jr t0
    c.li a1, 6
1:  OUT a1                       /* 33: c.jr: 5 */
    lla t0, 2f
    c.li a1, 0
    c.jalr t0
4:  c.j 3f
2:  c.li a1, 9
    c.mv a2, ra
    c.jr ra
3:  OUT a1                       /* 34: c.jalr called: 9 */
    lla a3, 4b
    c.sub a2, a3
    OUT a2                       /* 35: c.jalr link = pc+2: 0 */
    c.li a0, 10
    c.li a1, 0
1:  c.add a1, a0
    c.addi a0, -1
    c.bnez a0, 1b
    OUT a1                       /* 36: backward c.bnez loop: 55 */
    lla t0, 1f
    addi t0, t0, 1
    c.li a1, 5
    c.jr t0                      /* odd target: bit 0 cleared */
    c.li a1, 6
1:  OUT a1                       /* 37: c.jr odd target: 5 */
    c.li a0, 12
    c.nop
    c.addi a0, 30                /* 38: c.nop + c.addi: 42 */
    OUT a0

    c.mv a0, s1
    c.sub a0, s0
    c.srli a0, 3                 /* number of results */
    c.ldsp ra, 56(sp)
    c.ldsp s0, 48(sp)
    c.ldsp s1, 40(sp)
    c.addi16sp sp, 64
    c.jr ra
    .size rvc_run, .-rvc_run
    .section .note.GNU-stack,"",@progbits
