/*
 * Runs a transpiled grid-DSL program (its run_program) on every grid of a
 * file, REPEAT times, and prints a checksum of the results: the same with and
 * without profiling.
 *
 *   driver GRIDS_FILE [REPEAT]
 */
#include "grid.h"

#include <stdlib.h>

grid *run_program(const grid *input);
extern const int program_operations;

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s GRIDS_FILE [REPEAT]\n", argv[0]);
    return 2;
  }
  int repeat = argc > 2 ? atoi(argv[2]) : 1;
  grid *grids[256];
  int n = grid_read_file(argv[1], grids, 256);
  if (n < 0)
    return 1;
  unsigned long checksum = 0;
  for (int r = 0; r < repeat; r++)
    for (int i = 0; i < n; i++) {
      grid *out = run_program(grids[i]);
      checksum = grid_checksum(out, checksum);
      grid_free(out);
    }
  for (int i = 0; i < n; i++) grid_free(grids[i]);
  printf("%d operations, %d grids x %d runs, checksum %lu\n", program_operations, n, repeat, checksum);
  return 0;
}
