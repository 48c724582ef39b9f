/* Bit layouts of the privileged CSRs shared by trap.c, csr.c and the MMU. */
#ifndef RVX_FRONTEND_PRIV_H
#define RVX_FRONTEND_PRIV_H

#define MSTATUS_SIE   (1ull << 1)
#define MSTATUS_MIE   (1ull << 3)
#define MSTATUS_SPIE  (1ull << 5)
#define MSTATUS_UBE   (1ull << 6)
#define MSTATUS_MPIE  (1ull << 7)
#define MSTATUS_SPP   (1ull << 8)
#define MSTATUS_VS    (3ull << 9)
#define MSTATUS_MPP   (3ull << 11)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_FS    (3ull << 13)
#define MSTATUS_XS    (3ull << 15)
#define MSTATUS_MPRV  (1ull << 17)
#define MSTATUS_SUM   (1ull << 18)
#define MSTATUS_MXR   (1ull << 19)
#define MSTATUS_TVM   (1ull << 20)
#define MSTATUS_TW    (1ull << 21)
#define MSTATUS_TSR   (1ull << 22)
#define MSTATUS_UXL   (3ull << 32)
#define MSTATUS_SXL   (3ull << 34)
#define MSTATUS_SD    (1ull << 63)

#define MENVCFG_CBIE  (3ull << 4)
#define MENVCFG_CBCFE (1ull << 6)
#define MENVCFG_CBZE  (1ull << 7)
#define MENVCFG_ADUE  (1ull << 61)
#define MENVCFG_PBMTE (1ull << 62)
#define MENVCFG_STCE  (1ull << 63)

#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE 0
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9
#define SATP_MODE_SV57 10
#define SATP_PPN_MASK ((1ull << 44) - 1)

#define COUNTEREN_CY (1u << 0)
#define COUNTEREN_TM (1u << 1)
#define COUNTEREN_IR (1u << 2)

#endif
