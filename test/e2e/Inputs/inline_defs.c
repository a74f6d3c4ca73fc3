// For inline_functions.c: the one external definition of each function.
#define INLINE_FNS_DEFINE
#include "inline_fns.h"
extern inline int sq(int x);
