/* The configuration in force, read by every subsystem; below the parser
 * (options.c) and the messages (messages.c), which read the verbosity. */
#include "internal.h"

tprof_config tprof_cfg = {.verbosity = 1}; /* warnings before start-up (a module of another ABI) are seen */
int tprof_mem_on = 1;
uint32_t tprof_hot_mode = TPROF_MODE_TIME_ALL | TPROF_MODE_COUNT_ALL;
uint32_t tprof_hot_op_kind = TPROF_FUNC_OPERATION;
