#include "svg_flame.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Drawn at the width of a code forge's Markdown column (about 900 px), so
 * that an embedded picture is shown at its own size: 12 px labels stay 12 px. */
#define WIDTH 900.0
#define ROW 16.0
#define TOP 56.0
#define MIN_PX 0.1 /* narrower frames are not drawn (they would be invisible) */
#define MAX_DEPTH 256
#define CHAR_PX 7.0 /* width of a 12 px monospace character */

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
  if (!bytes)
    snprintf(buf, n, "%.3f ms", v);
  else if (v >= 1048576.0)
    snprintf(buf, n, "%.0f bytes (%.2f MiB)", v, v / 1048576.0);
  else
    snprintf(buf, n, "%.0f bytes", v);
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
  /* data-name: the full name, for the script's labels and search */
  fputs("<g class=\"frame\" data-name=\"", d->out);
  tp_svg_text(d->out, n->name);
  fputs("\"><title>", d->out);
  tp_svg_text(d->out, n->name);
  fprintf(d->out,
          " (%s, %.2f%%)</title><rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"rgb(%d,%d,%d)\" "
          "rx=\"2\"/>",
          val, d->total > 0 ? 100.0 * n->weight / d->total : 0, x, y, w, ROW - 1, r, g, b);
  /* Label only what fits: about 7 px per character at 12 px. Every frame
   * has its text element, empty when nothing fits, for the zoom to fill. */
  size_t fit = (size_t)(w > 6 ? (w - 6) / CHAR_PX : 0);
  size_t len = strlen(n->name);
  char *lab = xmalloc(len + 4);
  if (fit < 3) {
    lab[0] = '\0';
  } else if (len > fit) {
    memcpy(lab, n->name, fit - 2);
    strcpy(lab + fit - 2, "..");
  } else {
    strcpy(lab, n->name);
  }
  fprintf(d->out, "<text x=\"%.2f\" y=\"%.1f\">", x + 3, y + ROW - 4.5);
  tp_svg_text(d->out, lab);
  fputs("</text>", d->out);
  free(lab);
  fputs("</g>\n", d->out);
  qsort(n->kids, n->n, sizeof *n->kids, by_name);
  double cx = x;
  for (size_t i = 0; i < n->n; i++) {
    emit(d, n->kids[i], cx, level + 1);
    cx += n->kids[i]->weight * d->scale;
  }
}

/* Click-to-zoom and search, as flamegraph.pl's SVGs have, for the picture
 * opened on its own (an <img> runs no script and shows the static picture).
 * Zoom: the clicked frame and its ancestors span the width, its descendants
 * are scaled with it, everything else is hidden; labels are refitted.
 * Search: frames whose name matches a regular expression turn magenta, and
 * the share of the total they cover (overlaps counted once) is shown. */
static const char flame_script[] =
    "<script type=\"text/ecmascript\"><![CDATA[\n"
    "(function () {\n"
    "  var W = %.0f, PAD = 10, CH = %.1f, span = W - 2 * PAD;\n"
    "  var frames = [].slice.call(document.querySelectorAll('g.frame'));\n"
    "  frames.forEach(function (g) {\n"
    "    var r = g.querySelector('rect');\n"
    "    g.x0 = +r.getAttribute('x'); g.w0 = +r.getAttribute('width'); g.y0 = +r.getAttribute('y');\n"
    "    g.fill0 = r.getAttribute('fill');\n"
    "    g.addEventListener('click', function () { zoom(g); });\n"
    "    g.style.cursor = 'pointer';\n"
    "  });\n"
    "  function place(g, x, w) {\n"
    "    var r = g.querySelector('rect'), t = g.querySelector('text'), name = g.getAttribute('data-name');\n"
    "    r.setAttribute('x', x); r.setAttribute('width', w); t.setAttribute('x', x + 3);\n"
    "    var fit = Math.floor((w - 6) / CH);\n"
    "    t.textContent = fit < 3 ? '' : name.length > fit ? name.slice(0, fit - 2) + '..' : name;\n"
    "    g.style.display = '';\n"
    "  }\n"
    "  function zoom(z) {\n"
    "    var eps = 0.05, k = span / z.w0; /* coordinates are written to 0.01 px */\n"
    "    frames.forEach(function (g) {\n"
    "      var inside = g.x0 >= z.x0 - eps && g.x0 + g.w0 <= z.x0 + z.w0 + eps;\n"
    "      var around = g.x0 <= z.x0 + eps && g.x0 + g.w0 >= z.x0 + z.w0 - eps;\n"
    "      if (g.y0 < z.y0 && inside) place(g, PAD + (g.x0 - z.x0) * k, g.w0 * k);\n"
    "      else if (g.y0 >= z.y0 && around) place(g, PAD, span);\n"
    "      else g.style.display = 'none';\n"
    "    });\n"
    "    document.getElementById('reset').style.display = '';\n"
    "  }\n"
    "  function reset() {\n"
    "    frames.forEach(function (g) { place(g, g.x0, g.w0); });\n"
    "    document.getElementById('reset').style.display = 'none';\n"
    "  }\n"
    "  function search() {\n"
    "    var q = prompt('Search frames (regular expression):', ''), re, spans = [], covered = 0, end = -1;\n"
    "    if (q === null) return;\n"
    "    try { re = new RegExp(q); } catch (e) { alert('Not a regular expression: ' + e.message); return; }\n"
    "    frames.forEach(function (g) {\n"
    "      var hit = q !== '' && re.test(g.getAttribute('data-name'));\n"
    "      g.querySelector('rect').setAttribute('fill', hit ? 'rgb(230,0,230)' : g.fill0);\n"
    "      if (hit) spans.push([g.x0, g.x0 + g.w0]);\n"
    "    });\n"
    "    spans.sort(function (a, b) { return a[0] - b[0]; });\n"
    "    spans.forEach(function (s) {\n"
    "      if (s[1] > end) { covered += s[1] - Math.max(s[0], end); end = s[1]; }\n"
    "    });\n"
    "    document.getElementById('matched').textContent =\n"
    "        q === '' ? '' : 'matched ' + (100 * covered / span).toFixed(2) + '%%';\n"
    "  }\n"
    "  document.getElementById('reset').addEventListener('click', reset);\n"
    "  document.getElementById('search').addEventListener('click', search);\n"
    "  document.getElementById('reset').style.display = 'none';\n"
    "})();\n"
    "]]></script>\n";

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
  fprintf(o.f, "</text>\n<text x=\"10\" y=\"42\" fill=\"#555\">total %s; hover a frame for its figures, click to zoom",
          val);
  if (note) {
    fputs("; ", o.f);
    tp_svg_text(o.f, note);
  }
  fputs("</text>\n", o.f);
  /* The controls: shown in a viewer that runs the script. */
  fprintf(o.f,
          "<text id=\"reset\" x=\"10\" y=\"22\" fill=\"#06c\" style=\"cursor:pointer\">Reset zoom</text>\n"
          "<text id=\"search\" x=\"%.0f\" y=\"22\" fill=\"#06c\" text-anchor=\"end\" "
          "style=\"cursor:pointer\">Search</text>\n"
          "<text id=\"matched\" x=\"%.0f\" y=\"42\" fill=\"#555\" text-anchor=\"end\"></text>\n",
          WIDTH - 10, WIDTH - 10);
  if (f->root.weight > 0) {
    emit(&d, &f->root, 10, 0);
  } else {
    fprintf(o.f, "<text x=\"10\" y=\"%.0f\">no data</text>\n", TOP + 16);
  }
  fprintf(o.f, flame_script, WIDTH, CHAR_PX);
  fputs("</svg>\n", o.f);
  return tp_out_commit(&o);
}
