/* Tiny runtime of the bare-metal test programs: start-up in M-mode, trap handlers for
 * M and S that record what they saw, entering S/U-mode code and coming back, HTIF
 * console and exit (tohost/fromhost as on Spike), and Sv39/48/57 page-table helpers.
 * A program's main returns 0 for pass; CHECK failures print the line and exit 1. */
#ifndef RVX_BAREMETAL_RT_H
#define RVX_BAREMETAL_RT_H

#include <stdint.h>

#define PRIV_U 0
#define PRIV_S 1
#define PRIV_M 3

#define CAUSE_INTERRUPT (1ull << 63)
#define RT_ECALL_RETURN_M 0x52455455u  /* a7 of the ecall that ends rt_enter's callee */
#define RT_ECALL_EXIT 0x45584954u      /* a7 of an ecall that exits the program with a0 */

#define CSR_READ(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define CSR_WRITE(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"r"((uint64_t)(v)) : "memory")
#define CSR_SET(csr, v) __asm__ volatile("csrs " #csr ", %0" ::"r"((uint64_t)(v)) : "memory")
#define CSR_CLEAR(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"r"((uint64_t)(v)) : "memory")

/* What a trap handler saw last (M and S each have one). */
typedef struct RtTrap {
    volatile uint64_t count, cause, epc, tval, from_priv;
    volatile uint64_t irq_count, irq_cause;
    volatile uint64_t resume;            /* nonzero: the next exception resumes here */
    void (*volatile irq_hook)(uint64_t cause);  /* must silence the interrupt source */
} RtTrap;
extern RtTrap rt_mtrap, rt_strap;

void rt_putc(char c);
void rt_puts(const char *s);
void rt_puthex(uint64_t v);
__attribute__((noreturn)) void rt_exit(int code);
__attribute__((noreturn)) void rt_fail(const char *file, int line, const char *expr);
#define CHECK(c) do { if (!(c)) rt_fail(__FILE__, __LINE__, #c); } while (0)
#define CHECK_EQ(a, b) do { uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b); \
    if (a_ != b_) { rt_puts("  got "); rt_puthex(a_); rt_puts(" want "); rt_puthex(b_); rt_putc('\n'); \
                    rt_fail(__FILE__, __LINE__, #a " == " #b); } } while (0)

/* Runs fn(arg) in privilege `priv` (PRIV_S or PRIV_U) with mret, on the lower-mode
 * stack; returns fn's result once fn returns (an ecall brings the hart back to M). */
uint64_t rt_enter(unsigned priv, uint64_t (*fn)(uint64_t), uint64_t arg);
/* From S or U: the ecall that rt_enter's callee returns through (also usable early). */
__attribute__((noreturn)) void rt_return_m(uint64_t value);
/* Installs the S-mode trap handler (stvec, sscratch); M's is set at start. */
void rt_s_trap_init(void);
/* Resets both trap records (counts and resume addresses). */
void rt_trap_reset(void);
/* The vectored M trap table (mtvec = rt_m_vectors | 1): slot i records i here. */
extern volatile uint64_t rt_vector_slot;
extern char rt_m_vectors[], rt_m_trap_vector[];

/* CLINT (QEMU virt and Spike: same addresses). */
#define CLINT_MSIP ((volatile uint32_t *)0x2000000)
#define CLINT_MTIMECMP ((volatile uint64_t *)0x2004000)
#define CLINT_MTIME ((volatile uint64_t *)0x200bff8)

/* Page tables: satp MODE 8/9/10 = Sv39/Sv48/Sv57 (levels = mode - 5). */
#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_U (1u << 4)
#define PTE_G (1u << 5)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)
uint64_t *pt_alloc(void);
/* Maps va -> pa with a leaf at `level` (0: 4 KiB, 1: 2 MiB, 2: 1 GiB, ...). */
void pt_map(uint64_t *root, unsigned levels, uint64_t va, uint64_t pa, unsigned level, uint64_t flags);
/* The leaf PTE for va (or NULL). */
volatile uint64_t *pt_leaf(uint64_t *root, unsigned levels, uint64_t va);
static inline void sfence_vma(void) { __asm__ volatile("sfence.vma" ::: "memory"); }

#endif
