// Constants shared by the runtime's assembly files.
#pragma once
#define SCTLR_EL1_RESET 0x00C50838
#define FRAME_SIZE      (36 * 8)
