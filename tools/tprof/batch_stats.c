#include "batch_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define VMIN 1e-9
#define RATIO 1.01
/* ceil(log(1e12 / 1e-9) / log(1.01)) */
#define NBUCKETS 4866

void tp_dist_init(tp_dist *d) {
  memset(d, 0, sizeof *d);
  d->exact = xmalloc(TP_DIST_EXACT * sizeof *d->exact);
  d->buckets = xcalloc(NBUCKETS, sizeof *d->buckets);
}

void tp_dist_free(tp_dist *d) {
  free(d->exact);
  free(d->buckets);
  memset(d, 0, sizeof *d);
}

static int bucket_of(double v) {
  if (!(v >= VMIN)) return -1;
  double b = floor(log(v / VMIN) / log(RATIO));
  if (b >= NBUCKETS) return NBUCKETS - 1;
  return (int)b;
}

void tp_dist_add(tp_dist *d, double v) {
  if (!isfinite(v)) return;
  if (d->n == 0 || v < d->min) d->min = v;
  if (d->n == 0 || v > d->max) d->max = v;
  if (d->exact) {
    if (d->n < TP_DIST_EXACT) {
      d->exact[d->n] = v;
    } else {
      free(d->exact);
      d->exact = NULL;
    }
  }
  d->n++;
  d->sum += v;
  int b = bucket_of(v);
  if (b < 0)
    d->below++;
  else
    d->buckets[b]++;
}

int tp_dist_is_exact(const tp_dist *d) { return d->exact != NULL; }

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The value of the k-th smallest (0-based) from the histogram: the
 * geometric middle of its bucket. */
static double hist_rank(const tp_dist *d, uint64_t k) {
  if (k < d->below) return d->min;
  uint64_t seen = d->below;
  for (int b = 0; b < NBUCKETS; b++) {
    seen += d->buckets[b];
    if (k < seen) {
      double v = VMIN * pow(RATIO, b + 0.5);
      return v < d->min ? d->min : v > d->max ? d->max : v;
    }
  }
  return d->max;
}

double tp_dist_quantile(const tp_dist *d, double q) {
  if (d->n == 0) return 0;
  double r = q * (double)(d->n - 1);
  uint64_t lo = (uint64_t)floor(r), hi = lo + 1 < d->n ? lo + 1 : lo;
  double frac = r - (double)lo;
  double a, b;
  if (d->exact) {
    /* Sorting a copy keeps tp_dist_add's order-free contract. */
    double *s = xmalloc(d->n * sizeof *s);
    memcpy(s, d->exact, d->n * sizeof *s);
    qsort(s, d->n, sizeof *s, cmp_double);
    a = s[lo];
    b = s[hi];
    free(s);
  } else {
    a = hist_rank(d, lo);
    b = hist_rank(d, hi);
  }
  return a + (b - a) * frac;
}
