/* Console input through the UART (polled): echoes each received byte upper-cased
 * until 'q', then exits 0. Not a self-contained test: console.sh feeds its input. */
#include "rt.h"

#define UART ((volatile uint8_t *)0x10000000)

int main(void)
{
    UART[3] = 3;  /* 8N1, DLAB off */
    UART[2] = 1;  /* FIFO on */
    for (;;) {
        while (!(UART[5] & 1))
            __asm__ volatile("nop");
        char c = (char)UART[0];
        if (c == 'q')
            break;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        while (!(UART[5] & 0x20))
            ;
        UART[0] = (uint8_t)c;
    }
    return 0;
}
