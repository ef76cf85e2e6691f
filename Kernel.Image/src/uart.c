/* PL011 UART0 output from EL1: byte stores to the data register only, no init,
 * no FR polling (REFERENCE §1.1; QEMU's PL011 never back-pressures). */
#include "aegis/uart.h"
#include "aegis/arch.h"
#include "aegis/platform.h"

void uart_putc(char c)
{
    mmio_write8(UART0_BASE, (uint8_t)c);
}

void uart_print(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

void uart_print_hex(uint64_t v)
{
    static const char digits[] = "0123456789ABCDEF";
    for (int shift = 60; shift >= 0; shift -= 4)
        uart_putc(digits[(v >> shift) & 0xF]);
}

void uart_print_dec(uint64_t v)
{
    char buf[20];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        uart_putc(buf[--n]);
}
