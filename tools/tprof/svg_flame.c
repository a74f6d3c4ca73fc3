#include "svg_flame.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define WIDTH 1200.0
#define ROW 16.0
#define TOP 56.0
#define MIN_PX 0.1 /* narrower frames are not drawn (they would be invisible) */
#define MAX_DEPTH 256

typedef struct fnode {
  char *name;
  double weight; /* inclusive */
  struct fnode **kids;
  size_t n, cap;
} fnode;

struct tp_flame {
  fnode root;
};

tp_flame *tp_flame_new(void) {
  tp_flame *f = xcalloc(1, sizeof *f);
  f->root.name = xstrdup("all");
  return f;
}

static fnode *child(fnode *p, const char *name) {
  for (size_t i = 0; i < p->n; i++)
    if (strcmp(p->kids[i]->name, name) == 0) return p->kids[i];
  if (p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 4;
    p->kids = xrealloc(p->kids, p->cap * sizeof *p->kids);
  }
  fnode *k = xcalloc(1, sizeof *k);
  k->name = xstrdup(name);
  p->kids[p->n++] = k;
  return k;
}

void tp_flame_add(tp_flame *f, const char *const *frames, size_t depth, double weight) {
  if (!(weight > 0)) return;
  fnode *n = &f->root;
  n->weight += weight;
  for (size_t i = 0; i < depth && i < MAX_DEPTH; i++) {
    n = child(n, frames[i]);
    n->weight += weight;
  }
}

static void free_node(fnode *n) {
  for (size_t i = 0; i < n->n; i++) {
    free_node(n->kids[i]);
    free(n->kids[i]);
  }
  free(n->kids);
  free(n->name);
}

void tp_flame_free(tp_flame *f) {
  if (!f) return;
  free_node(&f->root);
  free(f);
}

static int by_name(const void *a, const void *b) {
  return strcmp((*(fnode *const *)a)->name, (*(fnode *const *)b)->name);
}

static size_t depth_of(fnode *n) {
  size_t d = 0;
  for (size_t i = 0; i < n->n; i++) {
    size_t k = depth_of(n->kids[i]);
    if (k > d) d = k;
  }
  return d + 1;
}

static void fmt_value(char *buf, size_t n, double v, int bytes) {
  if (!bytes) snprintf(buf, n, "%.3f ms", v);
  else if (v >= 1048576.0) snprintf(buf, n, "%.0f bytes (%.2f MiB)", v, v / 1048576.0);
  else snprintf(buf, n, "%.0f bytes", v);
}

typedef struct {
  FILE *out;
  double total, scale, height;
  int bytes;
} draw;

static void emit(draw *d, fnode *n, double x, size_t level) {
  double w = n->weight * d->scale;
  if (w < MIN_PX) return;
  double y = d->height - 8 - (double)(level + 1) * ROW;
  uint32_t h = 2166136261u;
  for (const char *s = n->name; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  int r, g, b;
  if (d->bytes) { /* blues and greens: memory, as in flamegraph.pl's mem palette */
    r = 40 + (int)(h % 60);
    g = 140 + (int)((h >> 8) % 90);
    b = 120 + (int)((h >> 16) % 110);
  } else { /* warm: time */
    r = 205 + (int)(h % 50);
    g = (int)((h >> 8) % 200);
    b = (int)((h >> 16) % 55);
  }
  char val[64];
  fmt_value(val, sizeof val, n->weight, d->bytes);
  fprintf(d->out, "<g><title>");
  tp_svg_text(d->out, n->name);
  fprintf(d->out, " (%s, %.2f%%)</title><rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"rgb(%d,%d,%d)\" rx=\"2\"/>",
          val, d->total > 0 ? 100.0 * n->weight / d->total : 0, x, y, w, ROW - 1, r, g, b);
  /* Label only what fits: about 7 px per character at 12 px. */
  size_t fit = (size_t)((w - 6) / 7);
  if (fit >= 3) {
    size_t len = strlen(n->name);
    char *lab = xmalloc(len + 4);
    if (len > fit) {
      memcpy(lab, n->name, fit - 2);
      strcpy(lab + fit - 2, "..");
    } else {
      strcpy(lab, n->name);
    }
    fprintf(d->out, "<text x=\"%.2f\" y=\"%.1f\">", x + 3, y + ROW - 4.5);
    tp_svg_text(d->out, lab);
    fputs("</text>", d->out);
    free(lab);
  }
  fputs("</g>\n", d->out);
  qsort(n->kids, n->n, sizeof *n->kids, by_name);
  double cx = x;
  for (size_t i = 0; i < n->n; i++) {
    emit(d, n->kids[i], cx, level + 1);
    cx += n->kids[i]->weight * d->scale;
  }
}

int tp_flame_write(tp_flame *f, const char *path, const char *title, const char *unit, const char *note) {
  tp_out o;
  if (tp_out_open(&o, path) != 0) return -1;
  draw d = {o.f, f->root.weight, f->root.weight > 0 ? (WIDTH - 20) / f->root.weight : 0, 0, strcmp(unit, "bytes") == 0};
  size_t levels = depth_of(&f->root);
  d.height = TOP + (double)levels * ROW + 16;
  fprintf(o.f,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
          "font-family=\"monospace\" font-size=\"12\">\n"
          "<rect width=\"100%%\" height=\"100%%\" fill=\"#f8f8f8\"/>\n"
          "<text x=\"%.0f\" y=\"22\" font-size=\"16\" text-anchor=\"middle\">",
          WIDTH, d.height, WIDTH, d.height, WIDTH / 2);
  tp_svg_text(o.f, title);
  char val[64];
  fmt_value(val, sizeof val, f->root.weight, d.bytes);
  fprintf(o.f, "</text>\n<text x=\"10\" y=\"42\" fill=\"#555\">total %s; hover a frame for its figures", val);
  if (note) {
    fputs("; ", o.f);
    tp_svg_text(o.f, note);
  }
  fputs("</text>\n", o.f);
  if (f->root.weight > 0) {
    emit(&d, &f->root, 10, 0);
  } else {
    fprintf(o.f, "<text x=\"10\" y=\"%.0f\">no data</text>\n", TOP + 16);
  }
  fputs("</svg>\n", o.f);
  return tp_out_commit(&o);
}
