/* PL011 output: only the data register is written (REFERENCE §1.1). */
#ifndef AEGIS_UART_H
#define AEGIS_UART_H
#include <stdint.h>
/* The proofs take these contracts as given (src/uart.c is not proved): they write the PL011 data register only. */
/*@ assigns \nothing; */
void uart_putc(char c);
/*@ assigns \nothing; */
void uart_print(const char *s);
/*@ assigns \nothing; */
void uart_print_hex(uint64_t v); /* exactly 16 uppercase hex digits, no prefix */
/*@ assigns \nothing; */
void uart_print_dec(uint64_t v);
#endif
