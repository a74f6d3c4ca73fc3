/*
 * Interpreter-like workload (issue 13): a recursive-descent parser over
 * generated source text, a bytecode dispatch loop, and error recovery by
 * longjmp, as small interpreters do it. The source is STATEMENTS generated
 * statements ("let vN = EXPR;" or "print EXPR;", expressions nested up to
 * 12 levels, about 1 in 40 with a syntax error and some dividing by zero);
 * each round parses all of it (a syntax error longjmps out of the parser,
 * which skips to the next ';') and runs every statement that parsed (a
 * division by zero longjmps out of the dispatch loop). The call paths change
 * with every expression, as in a real interpreter.
 *
 *   interp [STATEMENTS [ROUNDS]]      (defaults 4000, 25)
 *
 * Prints the statements run, the errors recovered and a checksum; with
 * BENCH_PHASES=FILE, appends "parse S" and "run S" (phases.h).
 */
#include "phases.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NVARS = 26, MAXCODE = 1 << 20 };
enum { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_NEG, OP_PRINT, OP_END, NOPS };

typedef struct {
  int op;
  long arg;
} insn;

/* ---- source generator (deterministic) ---- */
static unsigned long rng = 88172645463325252ul;
static unsigned long next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

typedef struct {
  char *s;
  size_t len, cap;
} buf;

static void put(buf *b, const char *s) {
  size_t n = strlen(s);
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->cap + n + 1) * 2;
    b->s = realloc(b->s, b->cap);
    if (!b->s) exit(1);
  }
  memcpy(b->s + b->len, s, n + 1);
  b->len += n;
}

static void gen_expr(buf *b, int depth) {
  char tmp[32];
  unsigned long r = next_rand();
  if (depth == 0 || r % 8 < 3) {
    if (r & 8)
      snprintf(tmp, sizeof tmp, "%lu", (r >> 8) % 1000);
    else
      snprintf(tmp, sizeof tmp, "v%lu", (r >> 8) % NVARS);
    put(b, tmp);
    return;
  }
  switch ((r >> 4) % 4) {
  case 0:
    put(b, "(");
    gen_expr(b, depth - 1);
    put(b, ")");
    break;
  case 1:
    put(b, "-");
    gen_expr(b, depth - 1);
    break;
  default:
    gen_expr(b, depth - 1);
    put(b, (const char *[]){" + ", " - ", " * ", " / ", " % "}[(r >> 12) % 5]);
    gen_expr(b, depth - 1);
  }
}

static char *gen_source(long statements) {
  buf b = {0};
  char tmp[32];
  for (long i = 0; i < statements; i++) {
    unsigned long r = next_rand();
    if (r % 3 == 0) {
      put(&b, "print ");
    } else {
      snprintf(tmp, sizeof tmp, "let v%lu = ", (r >> 4) % NVARS);
      put(&b, tmp);
    }
    gen_expr(&b, 2 + (int)((r >> 12) % 11));
    if ((r >> 20) % 40 == 0) put(&b, " )"); /* a syntax error */
    put(&b, ";\n");
  }
  return b.s;
}

/* ---- parser: source -> bytecode, one statement at a time ---- */
typedef struct {
  const char *p;
  insn *code;
  long n;
  jmp_buf on_error;
} parser;

static void skip_space(parser *ps) {
  while (*ps->p == ' ' || *ps->p == '\n') ps->p++;
}

static void syntax_error(parser *ps) { longjmp(ps->on_error, 1); }

static void emit(parser *ps, int op, long arg) {
  if (ps->n >= MAXCODE) syntax_error(ps);
  ps->code[ps->n].op = op;
  ps->code[ps->n].arg = arg;
  ps->n++;
}

static void expect(parser *ps, char c) {
  skip_space(ps);
  if (*ps->p != c) syntax_error(ps);
  ps->p++;
}

static long parse_number(parser *ps) {
  long v = 0;
  while (*ps->p >= '0' && *ps->p <= '9') v = v * 10 + (*ps->p++ - '0');
  return v;
}

static int parse_var(parser *ps) {
  if (*ps->p != 'v') syntax_error(ps);
  ps->p++;
  long v = parse_number(ps);
  if (v >= NVARS) syntax_error(ps);
  return (int)v;
}

static void parse_expr(parser *ps);

static void parse_factor(parser *ps) {
  skip_space(ps);
  char c = *ps->p;
  if (c == '(') {
    ps->p++;
    parse_expr(ps);
    expect(ps, ')');
  } else if (c == '-') {
    ps->p++;
    parse_factor(ps);
    emit(ps, OP_NEG, 0);
  } else if (c >= '0' && c <= '9') {
    emit(ps, OP_PUSH, parse_number(ps));
  } else {
    emit(ps, OP_LOAD, parse_var(ps));
  }
}

static void parse_term(parser *ps) {
  parse_factor(ps);
  for (;;) {
    skip_space(ps);
    char c = *ps->p;
    if (c != '*' && c != '/' && c != '%') return;
    ps->p++;
    parse_factor(ps);
    emit(ps, c == '*' ? OP_MUL : c == '/' ? OP_DIV : OP_MOD, 0);
  }
}

static void parse_expr(parser *ps) {
  parse_term(ps);
  for (;;) {
    skip_space(ps);
    char c = *ps->p;
    if (c != '+' && c != '-') return;
    ps->p++;
    parse_term(ps);
    emit(ps, c == '+' ? OP_ADD : OP_SUB, 0);
  }
}

/* Parses one statement; returns its first instruction, or -1 after a
 * syntax error (the parser then resumes after the next ';'). */
static long parse_statement(parser *ps) {
  long start = ps->n;
  if (setjmp(ps->on_error)) {
    ps->n = start;
    while (*ps->p && *ps->p != ';') ps->p++;
    if (*ps->p) ps->p++;
    return -1;
  }
  skip_space(ps);
  if (strncmp(ps->p, "print", 5) == 0) {
    ps->p += 5;
    parse_expr(ps);
    emit(ps, OP_PRINT, 0);
  } else if (strncmp(ps->p, "let", 3) == 0) {
    ps->p += 3;
    skip_space(ps);
    int v = parse_var(ps);
    expect(ps, '=');
    parse_expr(ps);
    emit(ps, OP_STORE, v);
  } else {
    syntax_error(ps);
  }
  expect(ps, ';');
  emit(ps, OP_END, 0);
  return start;
}

/* ---- dispatch loop: one handler per opcode, through a table ---- */
typedef struct {
  long stack[256];
  int sp;
  long vars[NVARS];
  unsigned long printed;
  jmp_buf on_error;
} vm;

static void op_push(vm *m, long a) { m->stack[m->sp++] = a; }
static void op_load(vm *m, long a) { m->stack[m->sp++] = m->vars[a]; }
static void op_store(vm *m, long a) { m->vars[a] = m->stack[--m->sp]; }
static void op_add(vm *m, long a) { (void)a, m->sp--, m->stack[m->sp - 1] += m->stack[m->sp]; }
static void op_sub(vm *m, long a) { (void)a, m->sp--, m->stack[m->sp - 1] -= m->stack[m->sp]; }
static void op_mul(vm *m, long a) { (void)a, m->sp--, m->stack[m->sp - 1] *= m->stack[m->sp]; }
static void runtime_error(vm *m) { longjmp(m->on_error, 1); }
static void op_div(vm *m, long a) {
  (void)a, m->sp--;
  if (m->stack[m->sp] == 0) runtime_error(m);
  m->stack[m->sp - 1] /= m->stack[m->sp];
}
static void op_mod(vm *m, long a) {
  (void)a, m->sp--;
  if (m->stack[m->sp] == 0) runtime_error(m);
  m->stack[m->sp - 1] %= m->stack[m->sp];
}
static void op_neg(vm *m, long a) { (void)a, m->stack[m->sp - 1] = -m->stack[m->sp - 1]; }
static void op_print(vm *m, long a) { (void)a, m->printed = m->printed * 31 + (unsigned long)m->stack[--m->sp]; }

static void (*const handlers[NOPS])(vm *, long) = {
    [OP_PUSH] = op_push, [OP_LOAD] = op_load, [OP_STORE] = op_store, [OP_ADD] = op_add, [OP_SUB] = op_sub,
    [OP_MUL] = op_mul,   [OP_DIV] = op_div,   [OP_MOD] = op_mod,     [OP_NEG] = op_neg, [OP_PRINT] = op_print,
};

/* Runs one statement; returns 0, or 1 after a runtime error. */
static int run_statement(vm *m, const insn *code) {
  m->sp = 0;
  if (setjmp(m->on_error)) return 1;
  for (const insn *i = code; i->op != OP_END; i++) {
    if (m->sp > 250) runtime_error(m); /* deeper than any generated expression */
    handlers[i->op](m, i->arg);
  }
  return 0;
}

int main(int argc, char **argv) {
  long statements = argc > 1 ? atol(argv[1]) : 4000;
  int rounds = argc > 2 ? atoi(argv[2]) : 25;
  if (statements < 1 || rounds < 1) {
    fprintf(stderr, "usage: interp [STATEMENTS [ROUNDS]]\n");
    return 2;
  }
  char *src = gen_source(statements);
  insn *code = malloc(MAXCODE * sizeof *code);
  long *starts = malloc(statements * sizeof *starts);
  if (!code || !starts) return 1;
  static vm m;
  long ran = 0, syntax_errors = 0, runtime_errors = 0;
  double parse_s = 0, run_s = 0;
  for (int r = 0; r < rounds; r++) {
    double t = phase_now();
    parser ps = {.p = src, .code = code, .n = 0};
    long nst = 0;
    while (1) {
      skip_space(&ps);
      if (!*ps.p) break;
      long s = parse_statement(&ps);
      if (s < 0)
        syntax_errors++;
      else
        starts[nst++] = s;
    }
    parse_s += phase_now() - t;
    t = phase_now();
    for (long i = 0; i < nst; i++) {
      runtime_errors += run_statement(&m, code + starts[i]);
      ran++;
    }
    run_s += phase_now() - t;
  }
  phase_write("parse", parse_s);
  phase_write("run", run_s);
  printf("interp: %ld statements x %d rounds, %ld run, %ld syntax errors, %ld runtime errors, checksum %lu\n",
         statements, rounds, ran, syntax_errors, runtime_errors, m.printed);
  free(starts);
  free(code);
  free(src);
  return 0;
}
