/* Test-only user program for the SCENARIO=elf build: a stand-in for phase O's hello
 * (REF §9: print "L5:ELF ", yield twice, exit 0), linked at ELF slot 0. */
    .section .text._start, "ax"
    .global _start
_start:
    adr     x0, msg
    mov     x1, #7
    mov     x7, #4          /* SYS_WRITE */
    svc     #0
    mov     x7, #0          /* SYS_YIELD */
    svc     #0
    svc     #0
    mov     x0, #0
    mov     x7, #13         /* SYS_EXIT(0) */
    svc     #0
1:  b       1b
msg:
    .ascii  "L5:ELF "

    .bss
    .balign 16
scratch:
    .space  64              /* a RW segment too, to exercise the USER_DATA path */
