/* A horizontal bar chart as one self-contained SVG file (no script, no
 * network), 900 px wide: one bar per item, longest first as given, with the
 * value at the end of each bar and a <title> tooltip holding the whole
 * label. The label column fits the longest label, up to 50 characters;
 * longer labels are cut with "..". */
#ifndef TPROF_CLI_SVG_BARS_H
#define TPROF_CLI_SVG_BARS_H

#include <stddef.h>

typedef struct {
  const char *label;
  double value;
  const char *detail; /* tooltip text after the label, or NULL */
} tp_bar;

int tp_bars_write(const char *path, const char *title, const char *unit, const tp_bar *bars, size_t n);

#endif
