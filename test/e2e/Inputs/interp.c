/* An interpreter-like workload: a recursive-descent parser over generated
 * source text compiles each statement to bytecode for a stack machine, and a
 * dispatch loop runs it; errors (syntax errors, division by zero, unknown
 * variables) unwind by longjmp to the statement loop, which skips to the
 * next statement, as interpreters recover. The calling contexts change with
 * every expression's shape, which is what made per-path bookkeeping slow
 * (issue 13). Deterministic: prints a checksum and the error count.
 *
 *   interp [STATEMENTS [ROUNDS]]    (defaults 4000 and 6)
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- generated source ---- */

static unsigned rng = 12345u;
static unsigned next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

typedef struct {
  char *p;
  size_t len, cap;
} text;

static void emit(text *t, const char *s) {
  size_t n = strlen(s);
  if (t->len + n + 1 > t->cap) {
    t->cap = (t->len + n + 1) * 2;
    t->p = realloc(t->p, t->cap);
  }
  memcpy(t->p + t->len, s, n + 1);
  t->len += n;
}

static void gen_expr(text *t, int depth) {
  unsigned r = next_rand() % (depth > 6 ? 3 : 9);
  char buf[32];
  if (r == 0) {
    snprintf(buf, sizeof buf, "%u", next_rand() % 100);
    emit(t, buf);
  } else if (r == 1) {
    snprintf(buf, sizeof buf, "v%u", next_rand() % 8);
    emit(t, buf);
  } else if (r == 2) {
    snprintf(buf, sizeof buf, "%u", 1 + next_rand() % 9);
    emit(t, buf);
  } else if (r <= 4) {
    emit(t, "(");
    gen_expr(t, depth + 1);
    emit(t, ")");
  } else {
    static const char *const ops[] = {" + ", " - ", " * ", " / "};
    gen_expr(t, depth + 1);
    emit(t, ops[next_rand() % 4]);
    gen_expr(t, depth + 1);
  }
}

static char *gen_program(int statements) {
  text t = {0};
  char buf[32];
  for (int i = 0; i < statements; i++) {
    unsigned kind = next_rand() % 16;
    if (kind == 0) {
      emit(&t, "print (1 + ;\n"); /* a syntax error */
      continue;
    }
    snprintf(buf, sizeof buf, kind < 10 ? "let v%u = " : "print ", next_rand() % 8);
    emit(&t, buf);
    gen_expr(&t, 0);
    emit(&t, ";\n");
  }
  return t.p;
}

/* ---- the compiler: recursive descent to bytecode ---- */

enum { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_PRINT, OP_END };

typedef struct {
  int code[4096];
  int n;
} chunk;

static jmp_buf recover;
static int errors;
static const char *src;

static void fail(void) {
  errors++;
  longjmp(recover, 1);
}

static void put(chunk *c, int op) {
  if (c->n >= (int)(sizeof c->code / sizeof c->code[0])) fail();
  c->code[c->n++] = op;
}

static void skip_space(void) {
  while (*src == ' ' || *src == '\t') src++;
}

static int accept(char ch) {
  skip_space();
  if (*src != ch) return 0;
  src++;
  return 1;
}

static void parse_expr(chunk *c);

static void parse_primary(chunk *c) {
  skip_space();
  if (*src >= '0' && *src <= '9') {
    int v = 0;
    while (*src >= '0' && *src <= '9') v = v * 10 + (*src++ - '0');
    put(c, OP_PUSH);
    put(c, v);
  } else if (*src == 'v') {
    src++;
    if (*src < '0' || *src > '7') fail();
    put(c, OP_LOAD);
    put(c, *src++ - '0');
  } else if (accept('(')) {
    parse_expr(c);
    if (!accept(')')) fail();
  } else {
    fail();
  }
}

static void parse_term(chunk *c) {
  parse_primary(c);
  for (;;) {
    if (accept('*')) {
      parse_primary(c);
      put(c, OP_MUL);
    } else if (accept('/')) {
      parse_primary(c);
      put(c, OP_DIV);
    } else {
      return;
    }
  }
}

static void parse_expr(chunk *c) {
  parse_term(c);
  for (;;) {
    if (accept('+')) {
      parse_term(c);
      put(c, OP_ADD);
    } else if (accept('-')) {
      parse_term(c);
      put(c, OP_SUB);
    } else {
      return;
    }
  }
}

static void parse_statement(chunk *c) {
  skip_space();
  if (strncmp(src, "let ", 4) == 0) {
    src += 4;
    skip_space();
    if (*src != 'v' || src[1] < '0' || src[1] > '7') fail();
    int var = src[1] - '0';
    src += 2;
    if (!accept('=')) fail();
    parse_expr(c);
    put(c, OP_STORE);
    put(c, var);
  } else if (strncmp(src, "print ", 6) == 0) {
    src += 6;
    parse_expr(c);
    put(c, OP_PRINT);
  } else {
    fail();
  }
  if (!accept(';')) fail();
  put(c, OP_END);
}

/* ---- the virtual machine: one dispatch loop ---- */

static long vars[8];
static unsigned long checksum;

static long vm_div(long a, long b) {
  if (b == 0) fail(); /* a run-time error, recovered like a syntax error */
  return a / b;
}

static void run(const chunk *c) {
  long stack[256];
  int sp = 0;
  for (int pc = 0;;) {
    switch (c->code[pc++]) {
      case OP_PUSH: stack[sp++] = c->code[pc++]; break;
      case OP_LOAD: stack[sp++] = vars[c->code[pc++]]; break;
      case OP_STORE: vars[c->code[pc++]] = stack[--sp] % 1000003; break;
      case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case OP_MUL: sp--; stack[sp - 1] = (stack[sp - 1] * stack[sp]) % 1000003; break;
      case OP_DIV: sp--; stack[sp - 1] = vm_div(stack[sp - 1], stack[sp]); break;
      case OP_PRINT: checksum = checksum * 31 + (unsigned long)stack[--sp]; break;
      case OP_END: return;
    }
  }
}

static void run_source(const char *text) {
  src = text;
  while (*src) {
    static chunk c; /* static: a longjmp must not leave it indeterminate */
    c.n = 0;
    if (setjmp(recover) == 0) {
      parse_statement(&c);
      run(&c);
    }
    while (*src && *src != '\n') src++; /* recovery: on to the next statement */
    if (*src) src++;
  }
}

int main(int argc, char **argv) {
  int statements = argc > 1 ? atoi(argv[1]) : 4000, rounds = argc > 2 ? atoi(argv[2]) : 6;
  char *program = gen_program(statements);
  for (int r = 0; r < rounds; r++) run_source(program);
  printf("interp: checksum %lu, %d errors\n", checksum, errors);
  free(program);
  return 0;
}
