/* Allocation-heavy workload: ITERATIONS times, a complete binary tree of
 * depth DEPTH (2^(DEPTH+1)-1 nodes, one malloc each) is built, walked and
 * freed. Prints the exact number of allocations, used as the event count.
 *
 *   trees [ITERATIONS [DEPTH]]     (defaults 40, 16)
 */
#include <stdio.h>
#include <stdlib.h>

typedef struct node {
  struct node *left, *right;
  long value;
} node;

static unsigned long allocations;

node *make(int depth, long value) {
  node *n = malloc(sizeof *n);
  if (!n) {
    perror("malloc");
    exit(1);
  }
  allocations++;
  n->value = value;
  if (depth > 0) {
    n->left = make(depth - 1, 2 * value);
    n->right = make(depth - 1, 2 * value + 1);
  } else {
    n->left = n->right = NULL;
  }
  return n;
}

long check(const node *n) { return n->left ? n->value + check(n->left) - check(n->right) : n->value; }

void release(node *n) {
  if (n->left) {
    release(n->left);
    release(n->right);
  }
  free(n);
}

int main(int argc, char **argv) {
  int iterations = argc > 1 ? atoi(argv[1]) : 40, depth = argc > 2 ? atoi(argv[2]) : 16;
  long sum = 0;
  for (int i = 0; i < iterations; i++) {
    node *t = make(depth, i);
    sum += check(t);
    release(t);
  }
  printf("trees: %d trees of depth %d, %lu allocations, checksum %ld\n", iterations, depth, allocations, sum);
  return 0;
}
