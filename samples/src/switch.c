// switch: dense switches (jump tables at -O2), sparse switches (compare trees), function-pointer
// tables and a small bytecode interpreter dispatching through both.
#include "rt.h"

static const char *day(int d)
{
    switch (d) {
    case 0: return "sun"; case 1: return "mon"; case 2: return "tue"; case 3: return "wed";
    case 4: return "thu"; case 5: return "fri"; case 6: return "sat"; default: return "???";
    }
}

static int dense(unsigned v)
{
    switch (v) {
    case 0: return 11; case 1: return 23; case 2: return 35; case 3: return 47; case 4: return 59;
    case 5: return 61; case 6: return 73; case 7: return 85; case 8: return 97; case 9: return 109;
    case 10: return 7; case 11: return 3; case 12: return 1000; case 13: return -5; case 14: return 42;
    case 15: return 99; default: return -1;
    }
}

static int sparse(int v)
{
    switch (v) {
    case -100000: return 1; case -7: return 2; case 0: return 3; case 13: return 4; case 255: return 5;
    case 4096: return 6; case 65537: return 7; case 1000000: return 8; case 0x7FFFFFFF: return 9;
    default: return 0;
    }
}

static int64_t op_add(int64_t a, int64_t b) { return a + b; }
static int64_t op_sub(int64_t a, int64_t b) { return a - b; }
static int64_t op_mul(int64_t a, int64_t b) { return a * b; }
static int64_t op_and(int64_t a, int64_t b) { return a & b; }
static int64_t op_xor(int64_t a, int64_t b) { return a ^ b; }
static int64_t op_min(int64_t a, int64_t b) { return a < b ? a : b; }
typedef int64_t (*binop)(int64_t, int64_t);
static binop const ops[] = { op_add, op_sub, op_mul, op_and, op_xor, op_min };
static const char *const op_names[] = { "add", "sub", "mul", "and", "xor", "min" };

// Bytecode: PUSH imm, BIN op, DUP, SWAP, JNZ target, DEC, PRINT, HALT
enum { PUSH, BIN, DUP, SWAP, JNZ, DEC, PRINT, HALT, OVER, DROP };
static const int program[] = {
    PUSH, 1,          // acc
    PUSH, 10,         // counter
    // loop (pc 4): acc = acc * 3 + counter
    SWAP, PUSH, 3, BIN, 2, OVER, BIN, 0, SWAP, DEC, DUP, JNZ, 4,
    DROP, PRINT, HALT,
};

static int64_t stack[32];
static int sp;

static int64_t run_vm(const int *code)
{
    int pc = 0;
    int64_t last = 0;
    for (;;) {
        int op = code[pc++];
        switch (op) {
        case PUSH: stack[sp++] = code[pc++]; break;
        case BIN: { int64_t b = stack[--sp], a = stack[--sp]; stack[sp++] = ops[code[pc++]](a, b); break; }
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OVER: stack[sp] = stack[sp - 2]; sp++; break;
        case DROP: sp--; break;
        case SWAP: { int64_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case JNZ: { int t = code[pc++]; if (stack[--sp]) pc = t; break; }
        case DEC: stack[sp - 1]--; break;
        case PRINT: last = stack[--sp]; printf("vm prints %ld\n", last); break;
        case HALT: return last;
        default: printf("bad opcode %d\n", op); return -1;
        }
    }
}

int main(void)
{
    for (int d = -1; d <= 7; d++) printf("%s ", day(d));
    uart_puts("\n");
    uint32_t s = 0;   // unsigned: the running hash wraps
    for (unsigned v = 0; v < 20; v++) { int r = dense(v); s = s * 7 + (uint32_t)r; printf("%d ", r); }
    printf("\ndense hash %08x\n", s);
    static const int probes[] = { -100000, -7, -6, 0, 1, 13, 255, 256, 4096, 65537, 1000000, 0x7FFFFFFF, -2147483647 - 1 };
    for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++) printf("%d ", sparse(probes[i]));
    uart_puts("\n");
    for (int i = 0; i < 6; i++) {
        int64_t r = ops[i](123456789, -987654321);
        printf("%s(123456789, -987654321) = %ld\n", op_names[i], r);
    }
    int64_t vm = run_vm(program);
    // acc_k = acc_{k-1} * 3 + counter, counter 10..1, acc_0 = 1
    int64_t expect = 1;
    for (int c = 10; c >= 1; c--) expect = expect * 3 + c;
    printf("expected %ld\n", expect);
    return vm == expect ? 0 : 1;
}
