/*
 * A small grid library for the example DSL: grids of colours 0..9, at most
 * GRID_MAX x GRID_MAX, allocated on the heap. Every operation returns a new
 * grid and leaves its input alone; results that would be larger than
 * GRID_MAX in a dimension are clipped to GRID_MAX.
 */
#ifndef GRID_DSL_GRID_H
#define GRID_DSL_GRID_H

#include <stdio.h>

#define GRID_MAX 30

typedef struct grid {
  int rows, cols;
  unsigned char *cells; /* row-major, rows * cols colours 0..9 */
} grid;

grid *grid_new(int rows, int cols);
grid *grid_copy(const grid *g);
void grid_free(grid *g);
unsigned long grid_checksum(const grid *g, unsigned long seed);
/* Reads the next grid from f: lines of digits, ended by a blank line or EOF.
 * Returns NULL at EOF; on bad input prints why and returns NULL. */
grid *grid_read(FILE *f, const char *name, int *line_no);
/* Every grid of the file at `path` (at most max) into out; returns how many,
 * or -1 after a message on stderr (unreadable file, or no grid in it). */
int grid_read_file(const char *path, grid **out, int max);

/* The operations of the DSL. */
grid *grid_rotate(const grid *g, int angle);                      /* 90, 180, 270 clockwise */
grid *grid_flip(const grid *g, int horizontal);                   /* 1: left-right, 0: up-down */
grid *grid_transpose(const grid *g);
grid *grid_color_replace(const grid *g, int from, int to);
grid *grid_flood_fill(const grid *g, int row, int col, int color); /* 4-connected */
grid *grid_crop(const grid *g, int row, int col, int height, int width);
grid *grid_tile(const grid *g, int rows, int cols);               /* repeat rows x cols times */
grid *grid_scale(const grid *g, int factor);                      /* each cell becomes factor x factor */
grid *grid_gravity(const grid *g, int direction, int background); /* 0 down, 1 up, 2 left, 3 right */
grid *grid_overlay(const grid *g, const grid *top, int transparent); /* top's non-transparent cells win */
grid *grid_extract_objects(const grid *g, int background);        /* largest object, cropped */
grid *grid_shift(const grid *g, int drow, int dcol);              /* cyclic */
grid *grid_invert(const grid *g);                                 /* colour c becomes 9 - c */

#endif
