// For inline_functions.c: a C99 inline function and a gnu_inline one.
#ifndef INLINE_FNS_H
#define INLINE_FNS_H
inline int sq(int x) { return x * x; }
// gnu_inline: the header's body is only for inlining; the one file that
// defines INLINE_FNS_DEFINE gets the real, out-of-line definition.
#ifndef INLINE_FNS_DEFINE
extern inline __attribute__((gnu_inline))
#endif
int cube(int x) { return x * x * x; }
#endif
