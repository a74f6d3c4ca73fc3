#include "svg_bars.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

#define WIDTH 1000.0
#define LABEL_W 240.0
#define BAR_H 18.0
#define GAP 4.0
#define TOP 44.0

int tp_bars_write(const char *path, const char *title, const char *unit, const tp_bar *bars, size_t n) {
  tp_out o;
  if (tp_out_open(&o, path) != 0) return -1;
  double max = 0;
  for (size_t i = 0; i < n; i++)
    if (bars[i].value > max) max = bars[i].value;
  double height = TOP + (double)(n ? n : 1) * (BAR_H + GAP) + 12;
  double span = WIDTH - LABEL_W - 120;
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
    fprintf(o.f, "</title><text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", LABEL_W - 8, y + BAR_H - 5);
    tp_svg_text(o.f, bars[i].label);
    fprintf(o.f,
            "</text><rect x=\"%.0f\" y=\"%.1f\" width=\"%.2f\" height=\"%.0f\" fill=\"#4e79a7\"/>"
            "<text x=\"%.2f\" y=\"%.1f\">%.3f %s</text></g>\n",
            LABEL_W, y, w, BAR_H, LABEL_W + w + 6, y + BAR_H - 5, bars[i].value, unit);
  }
  fputs("</svg>\n", o.f);
  return tp_out_commit(&o);
}
