#include "grid.h"

#include <stdlib.h>
#include <string.h>

static int clip(int n) { return n < 1 ? 1 : n > GRID_MAX ? GRID_MAX : n; }

grid *grid_new(int rows, int cols) {
  grid *g = malloc(sizeof *g);
  if (!g) abort();
  g->rows = clip(rows);
  g->cols = clip(cols);
  g->cells = calloc((size_t)g->rows * g->cols, 1);
  if (!g->cells) abort();
  return g;
}

grid *grid_copy(const grid *g) {
  grid *c = grid_new(g->rows, g->cols);
  memcpy(c->cells, g->cells, (size_t)g->rows * g->cols);
  return c;
}

void grid_free(grid *g) {
  if (!g) return;
  free(g->cells);
  free(g);
}

static unsigned char at(const grid *g, int r, int c) { return g->cells[r * g->cols + c]; }
static void set(grid *g, int r, int c, int v) { g->cells[r * g->cols + c] = (unsigned char)v; }

unsigned long grid_checksum(const grid *g, unsigned long h) {
  h = h * 131 + (unsigned long)g->rows;
  h = h * 131 + (unsigned long)g->cols;
  for (int i = 0; i < g->rows * g->cols; i++) h = h * 31 + g->cells[i];
  return h;
}

grid *grid_read(FILE *f, const char *name, int *line_no) {
  char line[256];
  unsigned char buf[GRID_MAX][GRID_MAX];
  int rows = 0, cols = 0;
  while (fgets(line, sizeof line, f)) {
    ++*line_no;
    size_t n = strcspn(line, "\r\n");
    line[n] = '\0';
    if (n == 0) {
      if (rows) break;
      continue;
    }
    if ((int)n > GRID_MAX || (cols && (int)n != cols) || rows == GRID_MAX) {
      fprintf(stderr, "%s:%d: rows must be 1..%d digits long, all the same, and at most %d rows\n", name,
              *line_no, GRID_MAX, GRID_MAX);
      return NULL;
    }
    for (size_t i = 0; i < n; i++) {
      if (line[i] < '0' || line[i] > '9') {
        fprintf(stderr, "%s:%d: '%c' is not a colour 0..9\n", name, *line_no, line[i]);
        return NULL;
      }
      buf[rows][i] = (unsigned char)(line[i] - '0');
    }
    cols = (int)n;
    rows++;
  }
  if (!rows) return NULL;
  grid *g = grid_new(rows, cols);
  for (int r = 0; r < rows; r++) memcpy(&g->cells[r * cols], buf[r], (size_t)cols);
  return g;
}

grid *grid_rotate(const grid *g, int angle) {
  int quarter = ((angle / 90) % 4 + 4) % 4;
  grid *out = quarter % 2 ? grid_new(g->cols, g->rows) : grid_new(g->rows, g->cols);
  for (int r = 0; r < g->rows; r++)
    for (int c = 0; c < g->cols; c++) {
      int v = at(g, r, c);
      if (quarter == 0) set(out, r, c, v);
      else if (quarter == 1) set(out, c, g->rows - 1 - r, v);
      else if (quarter == 2) set(out, g->rows - 1 - r, g->cols - 1 - c, v);
      else set(out, g->cols - 1 - c, r, v);
    }
  return out;
}

grid *grid_flip(const grid *g, int horizontal) {
  grid *out = grid_new(g->rows, g->cols);
  for (int r = 0; r < g->rows; r++)
    for (int c = 0; c < g->cols; c++)
      set(out, r, c, horizontal ? at(g, r, g->cols - 1 - c) : at(g, g->rows - 1 - r, c));
  return out;
}

grid *grid_transpose(const grid *g) {
  grid *out = grid_new(g->cols, g->rows);
  for (int r = 0; r < g->rows; r++)
    for (int c = 0; c < g->cols; c++) set(out, c, r, at(g, r, c));
  return out;
}

grid *grid_color_replace(const grid *g, int from, int to) {
  grid *out = grid_copy(g);
  for (int i = 0; i < out->rows * out->cols; i++)
    if (out->cells[i] == from) out->cells[i] = (unsigned char)to;
  return out;
}

/* Iterative, with an explicit stack: a 30x30 region is 900 cells deep. */
grid *grid_flood_fill(const grid *g, int row, int col, int color) {
  grid *out = grid_copy(g);
  if (row >= out->rows || col >= out->cols) return out;
  int from = at(out, row, col);
  if (from == color) return out;
  int *stack = malloc(sizeof(int) * (size_t)out->rows * out->cols * 4 + sizeof(int));
  int top = 0;
  stack[top++] = row * out->cols + col;
  set(out, row, col, color);
  while (top) {
    int cell = stack[--top], r = cell / out->cols, c = cell % out->cols;
    const int dr[4] = {1, -1, 0, 0}, dc[4] = {0, 0, 1, -1};
    for (int k = 0; k < 4; k++) {
      int nr = r + dr[k], nc = c + dc[k];
      if (nr < 0 || nc < 0 || nr >= out->rows || nc >= out->cols || at(out, nr, nc) != from) continue;
      set(out, nr, nc, color);
      stack[top++] = nr * out->cols + nc;
    }
  }
  free(stack);
  return out;
}

grid *grid_crop(const grid *g, int row, int col, int height, int width) {
  if (row >= g->rows) row = g->rows - 1;
  if (col >= g->cols) col = g->cols - 1;
  if (height > g->rows - row) height = g->rows - row;
  if (width > g->cols - col) width = g->cols - col;
  grid *out = grid_new(height, width);
  for (int r = 0; r < out->rows; r++)
    for (int c = 0; c < out->cols; c++) set(out, r, c, at(g, row + r, col + c));
  return out;
}

grid *grid_tile(const grid *g, int rows, int cols) {
  grid *out = grid_new(g->rows * rows, g->cols * cols);
  for (int r = 0; r < out->rows; r++)
    for (int c = 0; c < out->cols; c++) set(out, r, c, at(g, r % g->rows, c % g->cols));
  return out;
}

grid *grid_scale(const grid *g, int factor) {
  grid *out = grid_new(g->rows * factor, g->cols * factor);
  for (int r = 0; r < out->rows; r++)
    for (int c = 0; c < out->cols; c++) set(out, r, c, at(g, r / factor, c / factor));
  return out;
}

grid *grid_gravity(const grid *g, int direction, int background) {
  grid *out = grid_new(g->rows, g->cols);
  memset(out->cells, background, (size_t)out->rows * out->cols);
  int vertical = direction <= 1, lines = vertical ? g->cols : g->rows, len = vertical ? g->rows : g->cols;
  for (int l = 0; l < lines; l++) {
    int fill = 0;
    for (int i = 0; i < len; i++) {
      /* walk from the side things fall towards */
      int k = (direction == 0 || direction == 3) ? len - 1 - i : i;
      int v = vertical ? at(g, k, l) : at(g, l, k);
      if (v == background) continue;
      int dst = (direction == 0 || direction == 3) ? len - 1 - fill : fill;
      if (vertical) set(out, dst, l, v);
      else set(out, l, dst, v);
      fill++;
    }
  }
  return out;
}

grid *grid_overlay(const grid *g, const grid *top, int transparent) {
  grid *out = grid_copy(g);
  for (int r = 0; r < out->rows && r < top->rows; r++)
    for (int c = 0; c < out->cols && c < top->cols; c++)
      if (at(top, r, c) != transparent) set(out, r, c, at(top, r, c));
  return out;
}

grid *grid_extract_objects(const grid *g, int background) {
  int n = g->rows * g->cols, best = -1, best_size = 0;
  int *label = malloc(sizeof(int) * (size_t)n), *queue = malloc(sizeof(int) * (size_t)n);
  int minr = 0, maxr = 0, minc = 0, maxc = 0;
  for (int i = 0; i < n; i++) label[i] = -1;
  for (int start = 0; start < n; start++) {
    if (label[start] >= 0 || g->cells[start] == background) continue;
    int head = 0, tail = 0, r0 = GRID_MAX, r1 = -1, c0 = GRID_MAX, c1 = -1;
    label[start] = start;
    queue[tail++] = start;
    while (head < tail) {
      int cell = queue[head++], r = cell / g->cols, c = cell % g->cols;
      if (r < r0) r0 = r;
      if (r > r1) r1 = r;
      if (c < c0) c0 = c;
      if (c > c1) c1 = c;
      const int dr[4] = {1, -1, 0, 0}, dc[4] = {0, 0, 1, -1};
      for (int k = 0; k < 4; k++) {
        int nr = r + dr[k], nc = c + dc[k], ni = nr * g->cols + nc;
        if (nr < 0 || nc < 0 || nr >= g->rows || nc >= g->cols) continue;
        if (label[ni] >= 0 || g->cells[ni] == background) continue;
        label[ni] = start;
        queue[tail++] = ni;
      }
    }
    if (tail > best_size) {
      best_size = tail;
      best = start;
      minr = r0, maxr = r1, minc = c0, maxc = c1;
    }
  }
  grid *out;
  if (best < 0) {
    out = grid_new(1, 1);
    out->cells[0] = (unsigned char)background;
  } else {
    out = grid_new(maxr - minr + 1, maxc - minc + 1);
    memset(out->cells, background, (size_t)out->rows * out->cols);
    for (int r = minr; r <= maxr; r++)
      for (int c = minc; c <= maxc; c++)
        if (label[r * g->cols + c] == best) set(out, r - minr, c - minc, at(g, r, c));
  }
  free(label);
  free(queue);
  return out;
}

grid *grid_shift(const grid *g, int drow, int dcol) {
  grid *out = grid_new(g->rows, g->cols);
  for (int r = 0; r < g->rows; r++)
    for (int c = 0; c < g->cols; c++) {
      int nr = ((r + drow) % g->rows + g->rows) % g->rows, nc = ((c + dcol) % g->cols + g->cols) % g->cols;
      set(out, nr, nc, at(g, r, c));
    }
  return out;
}

grid *grid_invert(const grid *g) {
  grid *out = grid_copy(g);
  for (int i = 0; i < out->rows * out->cols; i++) out->cells[i] = (unsigned char)(9 - out->cells[i]);
  return out;
}

int grid_read_file(const char *path, grid **out, int max) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    return -1;
  }
  int n = 0, line = 0;
  while (n < max && (out[n] = grid_read(f, path, &line)) != NULL) n++;
  fclose(f);
  if (n == 0) {
    fprintf(stderr, "%s: no grids\n", path);
    return -1;
  }
  return n;
}
