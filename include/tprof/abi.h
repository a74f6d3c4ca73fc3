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
#define TPROF_FUNC_TIMED 0x2u     /* the pass put (guarded) entry/exit hooks in it; without this
                                     flag only its inline counter sees its calls (a tiny leaf) */
#define TPROF_FUNC_BY_CALLSITES 0x4u /* an untimed function of internal linkage that is only ever
                                        called directly from its module: its calls are the sum of
                                        its call-site counters, and its own `calls` stays 0 */

/*
 * One per instrumented function, emitted by the pass as a private, writable
 * global. IR layout: { i32, i32, i32, i32, i64, ptr, ptr, ptr }.
 */
typedef struct tprof_func_record {
  uint32_t abi_version; /* TPROF_ABI_VERSION of the pass that emitted it */
  uint32_t flags;       /* TPROF_FUNC_* */
  uint32_t line;        /* line of the definition, 0 when unknown */
  uint32_t id;          /* 0 until the runtime registers it; written only by the runtime */
  uint64_t calls;       /* inline counter: +1 at every entry, by code the pass emits (a plain
                           add while __libc_single_threaded holds, an atomic add otherwise) */
  const char *name;     /* function name as in the object file (never NULL) */
  const char *op_name;  /* operation name (e.g. "rotate_1"), NULL when not an operation */
  const char *file;     /* source file from debug info or the module, "" when unknown */
} tprof_func_record;

/*
 * One per direct call, in an instrumented function, of a function of the
 * same module that is not timed: the call graph's edge to a tiny leaf,
 * which has no hooks to see its caller. IR layout: { i32, i32, i64, ptr, ptr }.
 */
typedef struct tprof_callsite_record {
  uint32_t abi_version; /* TPROF_ABI_VERSION */
  uint32_t line;        /* line of the call, 0 when unknown */
  uint64_t calls;       /* inline counter, +1 before every execution of the call */
  tprof_func_record *caller, *callee;
} tprof_callsite_record;

/*
 * One per instrumented module: what its constructor registers (so the
 * runtime knows every counter before the first call) and its destructor
 * takes back (the counters are copied out before a dlclose unmaps them).
 * IR layout: { i32, i32, i32, i32, ptr, ptr, ptr }.
 */
typedef struct tprof_module_record {
  uint32_t abi_version;            /* TPROF_ABI_VERSION */
  uint32_t nfuncs, ncallsites;     /* lengths of the two arrays */
  uint32_t state;                  /* 0; written only by the runtime */
  tprof_func_record **funcs;       /* every function record of the module */
  tprof_callsite_record **callsites;
  struct tprof_module_record *next; /* NULL; the runtime's list */
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

/*
 * One per redirected allocation call site. IR layout: { i32, i32, i32, i32, ptr, ptr }.
 */
typedef struct tprof_site_record {
  uint32_t abi_version; /* TPROF_ABI_VERSION */
  uint32_t line;        /* 0 when there is no debug info */
  uint32_t column;      /* 0 when unknown */
  uint32_t id;          /* 0 until the runtime registers it; written only by the runtime */
  const char *function; /* enclosing function's name (never NULL) */
  const char *file;     /* source file from debug info, "" when unknown */
} tprof_site_record;

/* Entry hook: first instructions of every timed function, after its
 * counter, when __tprof_hooks_on was not 0 at entry. */
void __tprof_func_enter(tprof_func_record *rec);
/* Exit hook: before every return (and before a musttail call) of a timed
 * function whose entry called __tprof_func_enter (the guard is read once). */
void __tprof_func_exit(tprof_func_record *rec);

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
