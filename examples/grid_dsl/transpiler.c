/*
 * tprof-dsl: transpiles a grid-DSL program in JSON,
 *   {"operations": [{"type": "rotate", "angle": 90},
 *                   {"type": "color_replace", "from_color": 0, "to_color": 5}]}
 * to C in which every operation instance is its own function,
 * op_<type>_<index> (1-based), so tprof reports it as the operation
 * <type>_<index>. The C needs grid.h/grid.c and a driver that calls
 * run_program().
 *
 *   tprof-dsl PROGRAM.json -o OUT.c
 *
 * A bad program (malformed JSON, unknown operation, missing or wrong-typed
 * parameter) gets one error naming the operation index and the field, exit
 * status 1, and no C file.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef enum { P_INT, P_ENUM } param_kind;
typedef struct param {
  const char *name;
  param_kind kind;
  int min, max;              /* P_INT */
  const char *choices[5];    /* P_ENUM, NULL-terminated; emitted as their index */
  int required, fallback;    /* fallback: value when optional and absent */
} param;

typedef struct op_spec {
  const char *type, *call; /* call: C function taking (in, params...) */
  int uses_input;          /* the call also gets the program's input grid */
  param params[4];
} op_spec;

#define INT(n, lo, hi) {n, P_INT, lo, hi, {0}, 1, 0}
#define INT_OPT(n, lo, hi, d) {n, P_INT, lo, hi, {0}, 0, d}
static const op_spec ops[] = {
    {"rotate", "grid_rotate", 0, {{"angle", P_ENUM, 0, 0, {"90", "180", "270", NULL}, 1, 0}}},
    {"flip", "grid_flip", 0, {{"axis", P_ENUM, 0, 0, {"vertical", "horizontal", NULL}, 1, 0}}},
    {"transpose", "grid_transpose", 0, {{0}}},
    {"color_replace", "grid_color_replace", 0, {INT("from_color", 0, 9), INT("to_color", 0, 9)}},
    {"flood_fill", "grid_flood_fill", 0, {INT("row", 0, 29), INT("col", 0, 29), INT("color", 0, 9)}},
    {"crop", "grid_crop", 0, {INT("row", 0, 29), INT("col", 0, 29), INT("height", 1, 30), INT("width", 1, 30)}},
    {"tile", "grid_tile", 0, {INT("rows", 1, 30), INT("cols", 1, 30)}},
    {"scale", "grid_scale", 0, {INT("factor", 1, 30)}},
    {"gravity", "grid_gravity", 0,
     {{"direction", P_ENUM, 0, 0, {"down", "up", "left", "right", NULL}, 1, 0}, INT_OPT("background", 0, 9, 0)}},
    {"overlay", "grid_overlay", 1, {INT_OPT("transparent", 0, 9, 0)}},
    {"extract_objects", "grid_extract_objects", 0, {INT_OPT("background", 0, 9, 0)}},
    {"shift", "grid_shift", 0, {INT("rows", -29, 29), INT("cols", -29, 29)}},
    {"invert", "grid_invert", 0, {{0}}},
};
#define NOPS (sizeof ops / sizeof ops[0])

static const char *source_name;

static void fail(int index, const char *type, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#include <stdarg.h>
static void fail(int index, const char *type, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "tprof-dsl: %s: ", source_name);
  if (index > 0) fprintf(stderr, "operation %d%s%s%s: ", index, type ? " (" : "", type ? type : "", type ? ")" : "");
  vfprintf(stderr, fmt, ap);
  fputs("; no C written\n", stderr);
  va_end(ap);
  exit(1);
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "tprof-dsl: cannot read %s: %s\n", path, strerror(errno));
    exit(1);
  }
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  size_t n;
  while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0)
    if ((len += n) + 1 == cap) buf = realloc(buf, cap *= 2);
  fclose(f);
  if (!buf) exit(1);
  buf[len] = '\0';
  return buf;
}

static const op_spec *find_op(const char *type) {
  for (size_t i = 0; i < NOPS; i++)
    if (!strcmp(ops[i].type, type)) return &ops[i];
  return NULL;
}

static void describe_json(const cJSON *v, char *out, size_t n) {
  char *text = cJSON_PrintUnformatted(v);
  snprintf(out, n, "%s", text ? text : "?");
  free(text);
}

/* Checks one operation; fills values[] with the C arguments. */
static const op_spec *check_op(const cJSON *op, int index, int values[4]) {
  if (!cJSON_IsObject(op)) fail(index, NULL, "must be an object like {\"type\": \"rotate\", \"angle\": 90}");
  const cJSON *type = cJSON_GetObjectItemCaseSensitive(op, "type");
  if (!cJSON_IsString(type)) fail(index, NULL, "field \"type\" is missing or not a string");
  const op_spec *spec = find_op(type->valuestring);
  if (!spec) {
    char known[512] = "";
    for (size_t i = 0; i < NOPS; i++) {
      strcat(known, i ? ", " : "");
      strcat(known, ops[i].type);
    }
    fail(index, NULL, "unknown operation type \"%s\" (known: %s)", type->valuestring, known);
  }
  const cJSON *field;
  cJSON_ArrayForEach(field, op) {
    int known = !strcmp(field->string, "type");
    for (int p = 0; p < 4 && spec->params[p].name; p++) known |= !strcmp(field->string, spec->params[p].name);
    if (!known) fail(index, spec->type, "unknown field \"%s\"", field->string);
  }
  for (int p = 0; p < 4 && spec->params[p].name; p++) {
    const param *pa = &spec->params[p];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(op, pa->name);
    char seen[64];
    if (!v) {
      if (pa->required) fail(index, spec->type, "field \"%s\" is missing", pa->name);
      values[p] = pa->fallback;
      continue;
    }
    describe_json(v, seen, sizeof seen);
    if (pa->kind == P_INT) {
      if (!cJSON_IsNumber(v) || v->valuedouble != (double)(int)v->valuedouble || v->valueint < pa->min ||
          v->valueint > pa->max)
        fail(index, spec->type, "field \"%s\" must be an integer from %d to %d, got %s", pa->name, pa->min, pa->max,
             seen);
      values[p] = v->valueint;
    } else {
      char wanted[128] = "";
      int found = -1;
      for (int c = 0; pa->choices[c]; c++) {
        char text[32];
        snprintf(text, sizeof text, "%s", pa->choices[c]);
        if ((cJSON_IsString(v) && !strcmp(v->valuestring, text)) ||
            (cJSON_IsNumber(v) && v->valuedouble == atof(text) && atof(text) != 0))
          found = c;
        strcat(wanted, c ? ", " : "");
        strcat(wanted, text);
      }
      if (found < 0) fail(index, spec->type, "field \"%s\" must be one of %s, got %s", pa->name, wanted, seen);
      /* rotate's angle is passed in degrees; the other enums by position */
      values[p] = !strcmp(pa->name, "angle") ? atoi(pa->choices[found]) : found;
    }
  }
  return spec;
}

int main(int argc, char **argv) {
  const char *in = NULL, *out = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
    else if (argv[i][0] != '-' && !in) in = argv[i];
    else {
      fprintf(stderr, "usage: tprof-dsl PROGRAM.json -o OUT.c\n");
      return 2;
    }
  }
  if (!in || !out) {
    fprintf(stderr, "usage: tprof-dsl PROGRAM.json -o OUT.c\n");
    return 2;
  }
  source_name = in;
  char *text = read_file(in);
  cJSON *root = cJSON_Parse(text);
  if (!root) {
    const char *at = cJSON_GetErrorPtr();
    int line = 1;
    for (const char *p = text; at && p < at && *p; p++) line += *p == '\n';
    fail(0, NULL, "not valid JSON (near line %d)", line);
  }
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "operations");
  if (!cJSON_IsArray(list)) fail(0, NULL, "field \"operations\" is missing or not a list");
  int n = cJSON_GetArraySize(list);
  if (n == 0) fail(0, NULL, "\"operations\" is empty");

  /* Check everything before writing anything. */
  const op_spec **specs = calloc((size_t)n, sizeof *specs);
  int(*values)[4] = calloc((size_t)n, sizeof *values);
  for (int i = 0; i < n; i++) specs[i] = check_op(cJSON_GetArrayItem(list, i), i + 1, values[i]);

  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp%d", out, (int)getpid());
  FILE *f = fopen(tmp, "w");
  if (!f) {
    fprintf(stderr, "tprof-dsl: cannot write %s: %s\n", tmp, strerror(errno));
    return 1;
  }
  fprintf(f, "/* Generated by tprof-dsl from %s: %d operations. Do not edit. */\n#include \"grid.h\"\n\n", in, n);
  for (int i = 0; i < n; i++) {
    const op_spec *s = specs[i];
    fprintf(f, "grid *op_%s_%d(const grid *in, const grid *input);\n", s->type, i + 1);
    fprintf(f, "grid *op_%s_%d(const grid *in, const grid *input) {\n", s->type, i + 1);
    if (!s->uses_input) fputs("  (void)input;\n", f);
    fprintf(f, "  return %s(in%s", s->call, s->uses_input ? ", input" : "");
    for (int p = 0; p < 4 && s->params[p].name; p++) fprintf(f, ", %d", values[i][p]);
    fputs(");\n}\n\n", f);
  }
  fputs("grid *run_program(const grid *input);\ngrid *run_program(const grid *input) {\n"
        "  grid *cur = grid_copy(input), *next;\n", f);
  for (int i = 0; i < n; i++)
    fprintf(f, "  next = op_%s_%d(cur, input);\n  grid_free(cur);\n  cur = next;\n", specs[i]->type, i + 1);
  fprintf(f, "  return cur;\n}\n\nconst int program_operations = %d;\n", n);
  if (fclose(f) != 0 || rename(tmp, out) != 0) {
    fprintf(stderr, "tprof-dsl: cannot write %s: %s\n", out, strerror(errno));
    unlink(tmp);
    return 1;
  }
  cJSON_Delete(root);
  free(text);
  free(specs);
  free(values);
  return 0;
}
