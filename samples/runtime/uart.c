// PL011 output: poll FR.TXFF before each write to DR, as a driver for real hardware must.
#include "rt.h"

#define UART0_BASE  0x09000000UL
#define UARTDR      0x000
#define UARTFR      0x018
#define FR_TXFF     (1u << 5)

void uart_putc(char c)
{
    while (mmio_read32(UART0_BASE + UARTFR) & FR_TXFF) { }
    mmio_write32(UART0_BASE + UARTDR, (uint8_t)c);
}

void uart_puts(const char *s)
{
    while (*s) uart_putc(*s++);
}

static void put_unsigned(uint64_t v, unsigned base, int upper, int width, char pad, int left)
{
    char buf[24];
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    do { buf[n++] = digits[v % base]; v /= base; } while (v);
    if (!left) for (int i = n; i < width; i++) uart_putc(pad);
    while (n) uart_putc(buf[--n]);
    if (left) for (int i = n; i < width; i++) uart_putc(' ');
}

void print_hex(uint64_t v, int digits) { put_unsigned(v, 16, 0, digits, '0', 0); }
void print_udec(uint64_t v) { put_unsigned(v, 10, 0, 0, ' ', 0); }

void print_dec(int64_t v)
{
    if (v < 0) { uart_putc('-'); print_udec(-(uint64_t)v); }
    else print_udec((uint64_t)v);
}

void rt_vprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') { uart_putc(*fmt); continue; }
        fmt++;
        char pad = ' ';
        int left = 0, width = 0, lng = 0;
        for (;; fmt++) {
            if (*fmt == '0') pad = '0';
            else if (*fmt == '-') left = 1;
            else break;
        }
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z') { lng = 1; fmt++; }
        switch (*fmt) {
        case 'd': case 'i': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
            if (v < 0) { uart_putc('-'); if (width) width--; }
            put_unsigned(m, 10, 0, width, pad, left);
            break;
        }
        case 'u': put_unsigned(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, 0, width, pad, left); break;
        case 'x': put_unsigned(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, 0, width, pad, left); break;
        case 'X': put_unsigned(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, 1, width, pad, left); break;
        case 'p': uart_puts("0x"); put_unsigned((uint64_t)va_arg(ap, void *), 16, 0, 16, '0', 0); break;
        case 'c': uart_putc((char)va_arg(ap, int)); break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int n = (int)strlen(s);
            if (!left) for (int i = n; i < width; i++) uart_putc(' ');
            uart_puts(s);
            if (left) for (int i = n; i < width; i++) uart_putc(' ');
            break;
        }
        case '%': uart_putc('%'); break;
        case 0: return;
        default: uart_putc('%'); uart_putc(*fmt); break;
        }
    }
}

void rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_vprintf(fmt, ap);
    va_end(ap);
}
