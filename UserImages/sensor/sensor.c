/* sensor (task 3, slot 1; REFERENCE §9): "SENSOR:init ", then forever SEND on endpoint 1 with
 * x0 = counter (from 0, wrapping), x1 = 0xCAFE, x2 = x3 = 0, and yield. REF §9 prints "S " after every SEND; ours
 * prints it after the first one only (the boot transcript is unchanged) and then, at a human rate (issue 13), a line
 * "SENSOR: <n> readings sent" at the first SEND after each 0.5 s mark of guest time. */
#include "syscall.h"
#include "report.h"

/* Readings sent so far (in .bss, so that a test can read it from the slot). */
uint64_t sensor_sent;

__attribute__((section(".text._start"), noreturn)) void _start(void)
{
    print("SENSOR:init ");
    const uint64_t period = clock_freq() / REPORTS_PER_SECOND;
    uint64_t next = period;
    for (uint64_t counter = 0;; counter++) {
        syscall_send(1, counter, 0xCAFE, 0, 0);
        sensor_sent = counter + 1;
        if (counter == 0)
            print("S ");
        uint64_t now = clock_now();
        if (now >= next) {
            struct report_line l;
            l.n = 0;
            line_str(&l, "SENSOR: ");
            line_dec(&l, sensor_sent);
            line_str(&l, " readings sent\n");
            syscall_write(l.b, l.n);
            next = next_report(now, period);
        }
        syscall_yield();
    }
}
