/*
 * What a DSL transpiler emits for the program
 *   {"operations": [{"type": "rotate", "angle": 90},
 *                   {"type": "color_replace", "from_color": 0, "to_color": 5},
 *                   {"type": "flood_fill", "row": 0, "col": 0, "color": 3},
 *                   {"type": "tile", "rows": 2, "cols": 2}]}
 * one function per operation instance, named op_<type>_<index>, so tprof
 * reports them as the operations rotate_1, color_replace_2, ...
 * The program runs on many generated grids and prints a checksum, which is
 * the same with and without profiling.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct grid {
  int rows, cols;
  unsigned char *cells; /* colours 0..9, row-major */
} grid;

static grid *grid_new(int rows, int cols) {
  grid *g = malloc(sizeof *g);
  g->rows = rows;
  g->cols = cols;
  g->cells = calloc((size_t)rows * cols, 1);
  return g;
}

static void grid_free(grid *g) {
  free(g->cells);
  free(g);
}

static unsigned char *cell(grid *g, int r, int c) { return &g->cells[r * g->cols + c]; }

grid *op_rotate_1(grid *in) { /* 90 degrees clockwise */
  grid *out = grid_new(in->cols, in->rows);
  for (int r = 0; r < in->rows; r++)
    for (int c = 0; c < in->cols; c++) *cell(out, c, in->rows - 1 - r) = *cell(in, r, c);
  return out;
}

grid *op_color_replace_2(grid *in) {
  grid *out = grid_new(in->rows, in->cols);
  for (int i = 0; i < in->rows * in->cols; i++) out->cells[i] = in->cells[i] == 0 ? 5 : in->cells[i];
  return out;
}

static void fill_from(grid *g, int r, int c, unsigned char from, unsigned char to) {
  if (r < 0 || c < 0 || r >= g->rows || c >= g->cols || *cell(g, r, c) != from) return;
  *cell(g, r, c) = to;
  fill_from(g, r + 1, c, from, to);
  fill_from(g, r - 1, c, from, to);
  fill_from(g, r, c + 1, from, to);
  fill_from(g, r, c - 1, from, to);
}

grid *op_flood_fill_3(grid *in) {
  grid *out = grid_new(in->rows, in->cols);
  memcpy(out->cells, in->cells, (size_t)in->rows * in->cols);
  if (*cell(out, 0, 0) != 3) fill_from(out, 0, 0, *cell(out, 0, 0), 3);
  return out;
}

grid *op_tile_4(grid *in) {
  grid *out = grid_new(in->rows * 2, in->cols * 2);
  for (int r = 0; r < out->rows; r++)
    for (int c = 0; c < out->cols; c++) *cell(out, r, c) = *cell(in, r % in->rows, c % in->cols);
  return out;
}

/* The transpiled program: each step frees its input. */
grid *run_program(grid *g) {
  grid *(*const steps[])(grid *) = {op_rotate_1, op_color_replace_2, op_flood_fill_3, op_tile_4};
  grid *cur = g;
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
    grid *next = steps[i](cur);
    if (cur != g) grid_free(cur);
    cur = next;
  }
  return cur;
}

static grid *make_input(unsigned seed, int rows, int cols) {
  grid *g = grid_new(rows, cols);
  for (int i = 0; i < rows * cols; i++) {
    seed = seed * 1103515245u + 12345u;
    g->cells[i] = (seed >> 16) % 4 == 0 ? (seed >> 20) % 10 : 0;
  }
  return g;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200;
  unsigned long checksum = 0;
  for (int i = 0; i < n; i++) {
    grid *in = make_input((unsigned)i, 10 + i % 21, 30 - i % 21);
    grid *out = run_program(in);
    for (int k = 0; k < out->rows * out->cols; k++) checksum = checksum * 31 + out->cells[k];
    grid_free(out);
    grid_free(in);
  }
  printf("grids: %d checksum: %lu\n", n, checksum);
  return 0;
}
