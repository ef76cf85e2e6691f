// Constants shared by the runtime's assembly files.
#pragma once
#define SCTLR_EL1_RESET 0x00C50838
#define FRAME_SIZE      (36 * 8)
#define FP_SIZE         (16 + 32 * 16)    // FPSR, FPCR, then q0-q31
