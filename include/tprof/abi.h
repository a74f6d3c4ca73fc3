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

#define TPROF_ABI_VERSION 1u

/* tprof_func_record.flags */
#define TPROF_FUNC_OPERATION 0x1u /* a DSL operation (op_ prefix or annotation) */

/*
 * One per instrumented function, emitted by the pass as a private, writable
 * global. IR layout: { i32, i32, i32, i32, ptr, ptr, ptr }.
 */
typedef struct tprof_func_record {
  uint32_t abi_version; /* TPROF_ABI_VERSION of the pass that emitted it */
  uint32_t flags;       /* TPROF_FUNC_* */
  uint32_t line;        /* line of the definition, 0 when unknown */
  uint32_t id;          /* 0 until the runtime registers it; written only by the runtime */
  const char *name;     /* function name as in the object file (never NULL) */
  const char *op_name;  /* operation name (e.g. "rotate_1"), NULL when not an operation */
  const char *file;     /* source file from debug info or the module, "" when unknown */
} tprof_func_record;

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

/* Entry hook: first instruction of every instrumented function. */
void __tprof_func_enter(tprof_func_record *rec);
/* Exit hook: before every return (and before a musttail call). */
void __tprof_func_exit(tprof_func_record *rec);

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
