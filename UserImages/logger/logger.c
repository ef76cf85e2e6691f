/* logger (task 4, slot 2; REFERENCE §9): "LOGGER:init ", then forever RECV on endpoint 1 and yield. REF §9 prints
 * "LOG:<digit> " for every reading (the low nibble as one lowercase hex digit, a 1-byte SYS_WRITE from the stack);
 * ours does so for the first 16 readings only (0 to f, the 16th ending the line) and then, at a human rate
 * (issue 13), prints "LOGGER: <n> readings logged (last <r>, <k> out of order)" at the first reading after each 0.5 s
 * mark of guest time. A reading is out of order when it is not the previous one + 1 (the sensor counts from 0), so
 * with none lost or repeated, r = n - 1 and k = 0. */
#include "syscall.h"
#include "report.h"

#define VERBATIM 16

/* What the logger has seen (in .bss, so that a test can read it from the slot). */
uint64_t logger_logged, logger_last, logger_out_of_order;

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    print("LOGGER:init ");
    const uint64_t period = clock_freq() / REPORTS_PER_SECOND;
    uint64_t next = period;
    for (;;) {
        uint64_t reading = syscall_recv(1);
        if (logger_logged > 0 ? reading != logger_last + 1 : reading != 0)
            logger_out_of_order++;
        logger_last = reading;
        logger_logged++;
        if (logger_logged <= VERBATIM) {
            print("LOG:");
            volatile char digit = "0123456789abcdef"[reading & 0xF];
            syscall_write((const void *)&digit, 1);
            print(logger_logged == VERBATIM ? "\n" : " ");
        }
        uint64_t now = clock_now();
        if (now >= next) {
            struct report_line l;
            l.n = 0;
            line_str(&l, "LOGGER: ");
            line_dec(&l, logger_logged);
            line_str(&l, " readings logged (last ");
            line_dec(&l, logger_last);
            line_str(&l, ", ");
            line_dec(&l, logger_out_of_order);
            line_str(&l, " out of order)\n");
            syscall_write(l.b, l.n);
            next = next_report(now, period);
        }
        syscall_yield();
    }
}
