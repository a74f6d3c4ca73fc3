/* A flame graph as one self-contained SVG file, 900 px wide (a Markdown
 * column): no fonts, styles or scripts from the network; each frame's
 * figures are in a <title> tooltip, which every browser shows on hover.
 * Opened on its own, a small script of its own adds click-to-zoom and a
 * regular-expression search (embedded as an image, it is a static picture).
 * Layout as flamegraph.pl: the root at the bottom, children above their
 * parent, siblings in name order, widths proportional to the inclusive
 * weight. */
#ifndef TPROF_CLI_SVG_FLAME_H
#define TPROF_CLI_SVG_FLAME_H

#include <stddef.h>

typedef struct tp_flame tp_flame;

tp_flame *tp_flame_new(void);
void tp_flame_add(tp_flame *f, const char *const *frames, size_t depth, double weight);
/* unit: "ms" or "bytes" (chooses the wording and the palette). note: an extra
 * line under the title (how the stacks were obtained), or NULL. 0 on success. */
int tp_flame_write(tp_flame *f, const char *path, const char *title, const char *unit, const char *note);
void tp_flame_free(tp_flame *f);

#endif
