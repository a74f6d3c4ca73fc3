/* A minimal assertion helper for the runtime's unit tests: each failed
 * check prints where and what, and the test exits non-zero at the end. */
#ifndef TPROF_TEST_CHECK_H
#define TPROF_TEST_CHECK_H

#include <stdint.h>
#include <stdio.h>

static int check_failures;

/* Random cases that are the same on every run: xorshift64 from a fixed seed. */
static inline uint64_t check_random(void) {
  static uint64_t state = 88172645463325252ull;
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

#define CHECK(cond)                                                                      \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);           \
      check_failures++;                                                                  \
    }                                                                                    \
  } while (0)

#define CHECK_EQ_U64(a, b)                                                               \
  do {                                                                                   \
    unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);       \
    if (a_ != b_) {                                                                      \
      fprintf(stderr, "%s:%d: %s == %llu, expected %s == %llu\n", __FILE__, __LINE__, #a, \
              a_, #b, b_);                                                               \
      check_failures++;                                                                  \
    }                                                                                    \
  } while (0)

#define CHECK_DONE()                                                                     \
  do {                                                                                   \
    if (check_failures) {                                                                \
      fprintf(stderr, "%d check(s) failed\n", check_failures);                           \
      return 1;                                                                          \
    }                                                                                    \
    printf("all checks passed\n");                                                       \
    return 0;                                                                            \
  } while (0)

#endif
