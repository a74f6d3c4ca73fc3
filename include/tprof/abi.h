/*
 * tprof ABI: the one contract between the pass (pass/) and the runtime
 * (runtime/). The pass emits records with exactly these layouts and calls
 * exactly these hooks; the runtime checks abi_version on every record it
 * registers and refuses (with one message on stderr) records from a pass of
 * another version. Change the layout => bump TPROF_ABI_VERSION.
 *
 * Not part of the user-facing API: user code includes <tprof/tprof.h>.
 */
#ifndef TPROF_ABI_H
#define TPROF_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* abi_version is the first 4 bytes of every record, for ever: a runtime
 * reads it before anything else to refuse records of another layout. A
 * change of a record's layout or of a hook's signature bumps it. */
#define TPROF_ABI_VERSION 2u

/* tprof_func_record.flags */
#define TPROF_FUNC_OPERATION 0x1u /* a DSL operation (op_ prefix or annotation) */
#define TPROF_FUNC_TIMED                                                                                               \
  0x2u /* the pass put (guarded) entry/exit hooks in it; without this
                                     flag only its inline counter sees its calls (a tiny leaf) */
#define TPROF_FUNC_BY_CALLSITES                                                                                        \
  0x4u /* an untimed function of internal linkage that is only ever
                                        called directly from its module: its calls are the sum of
                                        its call-site counters, and its own `calls` stays 0 */

/* The records' fields are listed once, in records.def; the structs below
 * are declared from those lists. */
#include "records.def"
#define TPROF_DECLARE_FIELD(kind, ctype, name) ctype name;

/*
 * One per instrumented function, emitted by the pass as a private, writable
 * global. IR layout: { i32, i32, i32, i32, i64, ptr, ptr, ptr }. `calls` is
 * incremented by code the pass emits: a relaxed atomic add, lowered at the
 * end of the pipeline to a plain add while __libc_single_threaded holds.
 */
typedef struct tprof_func_record {
  TPROF_FUNC_RECORD_FIELDS(TPROF_DECLARE_FIELD)
} tprof_func_record;

/*
 * One per direct call, in an instrumented function, of a function of the
 * same module that is not timed: the call graph's edge to a tiny leaf,
 * which has no hooks to see its caller. IR layout: { i32, i32, i64, ptr, ptr }.
 */
typedef struct tprof_callsite_record {
  TPROF_CALLSITE_RECORD_FIELDS(TPROF_DECLARE_FIELD)
} tprof_callsite_record;

/*
 * One per instrumented module: what its constructor registers (so the
 * runtime knows every counter before the first call) and its destructor
 * takes back (the counters are copied out before a dlclose unmaps them).
 * IR layout: { i32, i32, i32, i32, ptr, ptr, ptr }.
 */
typedef struct tprof_module_record {
  TPROF_MODULE_RECORD_FIELDS(TPROF_DECLARE_FIELD)
} tprof_module_record;

/* Module constructor (priority 0, i.e. first) and destructor. */
void __tprof_register_module(tprof_module_record *m);
void __tprof_unregister_module(tprof_module_record *m);

/* What the guards that the pass emits read before any hook call: an
 * operation's hooks are called while it is not 0, another timed function's
 * while its TPROF_HOOKS_ALL bit is set. 0 until the runtime has
 * initialised (so code that runs before libc is ready, such as ifunc
 * resolvers, only counts), then the runtime's mode. Read with a relaxed
 * atomic load: one load and a predictable branch per timed call. */
extern uint8_t __tprof_hooks_on;
#define TPROF_HOOKS_ALL 0x1u        /* every timed function */
#define TPROF_HOOKS_OPERATIONS 0x2u /* operations (and regions) */
/* The bits of __tprof_hooks_on that let a function with these record flags
 * call its hooks: the one rule, for the pass's guard and the runtime's. */
#define TPROF_HOOKS_MASK(flags) (((flags)&TPROF_FUNC_OPERATION) ? 0xffu : TPROF_HOOKS_ALL)

/*
 * One per redirected allocation call site. IR layout: { i32, i32, i32, i32, ptr, ptr }.
 */
typedef struct tprof_site_record {
  TPROF_SITE_RECORD_FIELDS(TPROF_DECLARE_FIELD)
} tprof_site_record;

/* The layouts the IR-layout comments above promise (x86-64: 8-byte
 * pointers), and abi_version first in each. */
#ifdef __cplusplus
#define TPROF_ABI_ASSERT static_assert
#else
#define TPROF_ABI_ASSERT _Static_assert
#endif
TPROF_ABI_ASSERT(offsetof(tprof_func_record, calls) == 16 && offsetof(tprof_func_record, file) == 40 &&
                     sizeof(tprof_func_record) == 48,
                 "tprof_func_record: { i32, i32, i32, i32, i64, ptr, ptr, ptr }");
TPROF_ABI_ASSERT(offsetof(tprof_callsite_record, calls) == 8 && sizeof(tprof_callsite_record) == 32,
                 "tprof_callsite_record: { i32, i32, i64, ptr, ptr }");
TPROF_ABI_ASSERT(offsetof(tprof_site_record, function) == 16 && sizeof(tprof_site_record) == 32,
                 "tprof_site_record: { i32, i32, i32, i32, ptr, ptr }");
TPROF_ABI_ASSERT(offsetof(tprof_module_record, funcs) == 16 && sizeof(tprof_module_record) == 40,
                 "tprof_module_record: { i32, i32, i32, i32, ptr, ptr, ptr }");
TPROF_ABI_ASSERT(offsetof(tprof_func_record, abi_version) == 0 && offsetof(tprof_callsite_record, abi_version) == 0 &&
                     offsetof(tprof_site_record, abi_version) == 0 && offsetof(tprof_module_record, abi_version) == 0,
                 "abi_version is the first 4 bytes of every record");
#undef TPROF_ABI_ASSERT

/* Entry hook: first instructions of every timed function, after its
 * counter, when __tprof_hooks_on was not 0 at entry. */
void __tprof_func_enter(tprof_func_record *rec);
/* Exit hook: before every return (and before a musttail call) of a timed
 * function whose entry called __tprof_func_enter (the guard is read once). */
void __tprof_func_exit(tprof_func_record *rec);
/* The same two for the timed functions that do not test the guard
 * themselves (those with a loop, a call the pass cannot see into, or more
 * than a few dozen instructions: straight-line code compiles faster than a
 * branch around each hook), called unconditionally. The entry reads the
 * guard as above (rec->flags says whether rec is an operation), enters
 * while it is set, and returns it (0: hooks off); the function passes that
 * value to the exit before every return, which does nothing when it is 0. */
uint32_t __tprof_func_enter_checked(tprof_func_record *rec);
void __tprof_func_exit_checked(tprof_func_record *rec, uint32_t entered);

/* Around every call of a returns_twice function (setjmp, sigsetjmp,
 * _setjmp, __sigsetjmp, vfork...): __tprof_depth() before it, and
 * __tprof_unwind(depth) after each return, so the frames a longjmp skipped
 * are closed when control lands (their times end there). */
uint32_t __tprof_depth(void);
void __tprof_unwind(uint32_t depth);

/* Called right before a direct call of an exec function (execv, execve,
 * execvp, execvpe, execl, execle, execlp, fexecve): the process image is
 * about to be replaced, so the file set is written now. */
void __tprof_before_exec(void);

/* Called right before a direct call of exit() and before each return of
 * main (the C library's exit() comes next): the first thread to call it
 * returns at once; another thread calling it while that one exits waits
 * (pause(), its signal handlers still run) until the process ends, as in
 * exit() of glibc 2.41, musl and bionic; the same thread again returns. */
void __tprof_before_exit(void);

/* Allocation hooks: same contract as the libc function named after __tprof_. */
void *__tprof_malloc(size_t size, tprof_site_record *site);
void *__tprof_calloc(size_t n, size_t size, tprof_site_record *site);
void *__tprof_realloc(void *ptr, size_t size, tprof_site_record *site);
void *__tprof_reallocarray(void *ptr, size_t n, size_t size, tprof_site_record *site);
void __tprof_free(void *ptr, tprof_site_record *site);
void *__tprof_aligned_alloc(size_t alignment, size_t size, tprof_site_record *site);
int __tprof_posix_memalign(void **out, size_t alignment, size_t size, tprof_site_record *site);
void *__tprof_memalign(size_t alignment, size_t size, tprof_site_record *site);
void *__tprof_valloc(size_t size, tprof_site_record *site);
char *__tprof_strdup(const char *s, tprof_site_record *site);
char *__tprof_strndup(const char *s, size_t n, tprof_site_record *site);

#ifdef __cplusplus
}
#endif

#endif /* TPROF_ABI_H */
