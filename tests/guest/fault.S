/* fault.S — fault programs whose expected end is Linux's: the process dies by a signal,
 * which rvx (like a shell) reports as exit status 128+signal. One program per fault,
 * chosen with -DFAULT_<NAME> at build time (see CMakeLists.txt for the expected status):
 *   ILLEGAL      c.unimp (0x0000, the defined-illegal 16-bit encoding)  SIGILL  -> 132
 *   ILLEGAL_CSR  csrrw x0, cycle, x0 (write to a read-only CSR)         SIGILL  -> 132
 *   BAD_FRM      frm = 5 (reserved), then an FP op with dynamic rm      SIGILL  -> 132
 *   SEGV_LOAD    ld from address 16 (unmapped)                          SIGSEGV -> 139
 *   SEGV_STORE   sd into the program's read-only text                    SIGSEGV -> 139
 *   SEGV_JUMP    jr to address 0x1000 (unmapped)                        SIGSEGV -> 139
 *   EBREAK       ebreak (32-bit)                                        SIGTRAP -> 133
 *   CEBREAK      c.ebreak (16-bit)                                      SIGTRAP -> 133
 * Each first writes one line, so stdout must also match up to the fault, and then the
 * instruction after the fault would exit with status 99 if the fault were not raised. */
    .text
    .globl _start
_start:
    li a0, 1
    lla a1, msg
    li a2, 27                   /* strlen(msg) */
    li a7, 64                   /* write(1, msg, msglen) */
    ecall
    .option push
    .option norvc
#if defined(FAULT_ILLEGAL)
    .2byte 0x0000
    .2byte 0x0001               /* padding (c.nop) so the next 32-bit insn is aligned */
#elif defined(FAULT_ILLEGAL_CSR)
    csrrw x0, cycle, x0
#elif defined(FAULT_BAD_FRM)
    li t0, 5
    fsrm t0
    fadd.d ft0, ft0, ft0, dyn
#elif defined(FAULT_SEGV_LOAD)
    ld a0, 16(zero)
#elif defined(FAULT_SEGV_STORE)
    lla t0, _start
    sd zero, 0(t0)
#elif defined(FAULT_SEGV_JUMP)
    li t0, 0x1000
    jalr ra, 0(t0)
#elif defined(FAULT_EBREAK)
    ebreak
#elif defined(FAULT_CEBREAK)
    .option rvc
    c.ebreak
    c.nop
    .option norvc
#else
#error "define one FAULT_<NAME>"
#endif
    .option pop
    li a0, 99                   /* not reached: the fault must kill the process */
    li a7, 94                   /* exit_group */
    ecall

    .section .rodata
msg:
    .ascii "fault test: about to fault\n"

    .section .note.GNU-stack,"",@progbits
