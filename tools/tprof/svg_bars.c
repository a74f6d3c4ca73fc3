#include "svg_bars.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* 900 px: a code forge's Markdown column shows it at its own size. */
#define WIDTH 900.0
#define CHAR_PX 7.3  /* width of a 12 px monospace character, rounded up */
#define MAX_LABEL 50 /* characters; longer labels are cut with "..", whole in the tooltip */
#define BAR_H 18.0
#define GAP 4.0
#define TOP 44.0

/* Characters (UTF-8 sequences) of s: what the label's width depends on. */
static size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* s cut to max characters, the last two being "..", on a character
 * boundary. */
static char *cut(const char *s, size_t max) {
  size_t len = strlen(s);
  char *out = xmalloc(len + 3);
  if (utf8_chars(s) <= max) {
    memcpy(out, s, len + 1);
    return out;
  }
  size_t k = 0, chars = 0;
  while (s[k] && chars < max - 2) {
    k++;
    while (((unsigned char)s[k] & 0xC0) == 0x80) k++;
    chars++;
  }
  memcpy(out, s, k);
  memcpy(out + k, "..", 3);
  return out;
}

int tp_bars_write(const char *path, const char *title, const char *unit, const tp_bar *bars, size_t n) {
  tp_out o;
  if (tp_out_open(&o, path) != 0) return -1;
  double max = 0;
  for (size_t i = 0; i < n; i++)
    if (bars[i].value > max) max = bars[i].value;
  /* The label column is as wide as the longest label (up to MAX_LABEL
   * characters): no name runs off the left edge. */
  size_t longest = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len = utf8_chars(bars[i].label);
    if (len > longest) longest = len;
  }
  if (longest > MAX_LABEL) longest = MAX_LABEL;
  const double label_w = (double)longest * CHAR_PX + 16;
  double height = TOP + (double)(n ? n : 1) * (BAR_H + GAP) + 12;
  double span = WIDTH - label_w - 120;
  fprintf(o.f,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
          "font-family=\"monospace\" font-size=\"12\">\n"
          "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
          "<text x=\"%.0f\" y=\"24\" font-size=\"16\" text-anchor=\"middle\">",
          WIDTH, height, WIDTH, height, WIDTH / 2);
  tp_svg_text(o.f, title);
  fputs("</text>\n", o.f);
  if (n == 0) fprintf(o.f, "<text x=\"10\" y=\"%.0f\">no data</text>\n", TOP + 14);
  for (size_t i = 0; i < n; i++) {
    double y = TOP + (double)i * (BAR_H + GAP);
    double w = max > 0 ? bars[i].value / max * span : 0;
    fputs("<g><title>", o.f);
    tp_svg_text(o.f, bars[i].label);
    fprintf(o.f, ": %.3f %s", bars[i].value, unit);
    if (bars[i].detail) {
      fputs("; ", o.f);
      tp_svg_text(o.f, bars[i].detail);
    }
    fprintf(o.f, "</title><text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", label_w - 8, y + BAR_H - 5);
    char *label = cut(bars[i].label, MAX_LABEL);
    tp_svg_text(o.f, label);
    free(label);
    fprintf(o.f,
            "</text><rect x=\"%.0f\" y=\"%.1f\" width=\"%.2f\" height=\"%.0f\" fill=\"#4e79a7\"/>"
            "<text x=\"%.2f\" y=\"%.1f\">%.3f %s</text></g>\n",
            label_w, y, w, BAR_H, label_w + w + 6, y + BAR_H - 5, bars[i].value, unit);
  }
  fputs("</svg>\n", o.f);
  return tp_out_commit(&o);
}
