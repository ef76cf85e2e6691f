/* PL011 output: only the data register is written (REFERENCE §1.1). */
#ifndef AEGIS_UART_H
#define AEGIS_UART_H
#include <stdint.h>
void uart_putc(char c);
void uart_print(const char *s);
void uart_print_hex(uint64_t v); /* exactly 16 uppercase hex digits, no prefix */
void uart_print_dec(uint64_t v);
#endif
