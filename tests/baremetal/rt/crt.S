/* Start-up and trap entry of the bare-metal test programs (see rt.h). M runs from
 * _start with mtvec = rt_m_trap_vector (direct); PMP entry 0 opens all memory to
 * S/U (a hart with PMP denies them everything until an entry matches). Trap entry
 * saves x1..x31 into a frame on the mode's trap stack (xscratch holds its top) and
 * calls rt_m_trap / rt_s_trap, which may edit the frame; the frame's sp is restored
 * last so a handler can switch stacks (rt_enter's return). */
#define FRAME (32 * 8)

    .section .text.init
    .globl _start
_start:
    la sp, _stack_top
    la t0, rt_m_trap_vector
    csrw mtvec, t0
    la t0, _mtrap_stack_top
    csrw mscratch, t0
    li t0, -1
    srli t0, t0, 10
    csrw pmpaddr0, t0
    li t0, 0x1f                 /* NAPOT, R W X */
    csrw pmpcfg0, t0
    li t0, (1 << 13)            /* mstatus.FS = Initial */
    csrs mstatus, t0
    call main
    call rt_exit

.macro SAVE_REGS
    sd x1, 1*8(sp)
    .irp r,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd x\r, \r*8(sp)
    .endr
.endm
.macro RESTORE_REGS
    ld x1, 1*8(sp)
    .irp r,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld x\r, \r*8(sp)
    .endr
    ld sp, 2*8(sp)
.endm

    .text
    .align 6
    .globl rt_m_trap_vector
rt_m_trap_vector:
    csrrw sp, mscratch, sp
    addi sp, sp, -FRAME
    SAVE_REGS
    csrr t0, mscratch
    sd t0, 2*8(sp)
    addi t0, sp, FRAME
    csrw mscratch, t0
    mv a0, sp
    call rt_m_trap
    RESTORE_REGS
    mret

    .align 6
    .globl rt_s_trap_vector
rt_s_trap_vector:
    csrrw sp, sscratch, sp
    addi sp, sp, -FRAME
    SAVE_REGS
    csrr t0, sscratch
    sd t0, 2*8(sp)
    addi t0, sp, FRAME
    csrw sscratch, t0
    mv a0, sp
    call rt_s_trap
    RESTORE_REGS
    sret

/* Vectored table: slot i records i in rt_vector_slot, then takes the common path. */
    .align 8
    .globl rt_m_vectors
rt_m_vectors:                    /* 4-byte slots: no compressed jumps here */
    .option push
    .option norvc
    .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j vector_\i
    .endr
    .option pop
    .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
vector_\i:
    csrrw sp, mscratch, sp
    addi sp, sp, -16
    sd t0, 0(sp)
    sd t1, 8(sp)
    li t0, \i
    la t1, rt_vector_slot
    sd t0, 0(t1)
    ld t0, 0(sp)
    ld t1, 8(sp)
    addi sp, sp, 16
    csrrw sp, mscratch, sp
    j rt_m_trap_vector
    .endr

/* uint64_t rt_enter(unsigned priv, uint64_t (*fn)(uint64_t), uint64_t arg) */
    .globl rt_enter
rt_enter:
    la t0, rt_m_ctx
    sd ra, 0(t0)
    sd sp, 8(t0)
    .irp i,0,1,2,3,4,5,6,7,8,9,10,11
    sd s\i, (16 + 8 * \i)(t0)
    .endr
    li t1, (3 << 11)
    csrc mstatus, t1
    slli t2, a0, 11
    csrs mstatus, t2
    csrw mepc, a1
    mv a0, a2
    la ra, rt_lower_exit
    la sp, _lower_stack_top
    mret
rt_lower_exit:
    /* fall through: the callee's result is in a0 */
    .globl rt_return_m
rt_return_m:
    li a7, 0x52455455
    ecall
1:  j 1b

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .size tohost, 8
    .align 6
    .globl fromhost
fromhost: .dword 0
    .size fromhost, 8
