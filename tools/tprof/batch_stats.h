/* Distribution of one figure over a batch (execution time, peak memory):
 * count, sum, min, max, and quantiles in bounded memory.
 *
 * The first TP_DIST_EXACT values are kept, so batches up to that size get
 * exact quantiles (linear interpolation between order statistics, as
 * numpy.percentile's default). Every value also goes into a fixed histogram
 * of logarithmic buckets (ratio 1.01 between bucket edges, from 1e-9 to
 * 1e12); beyond TP_DIST_EXACT values the quantiles come from it, with a
 * relative error of at most 0.5 % (half a bucket), clamped to [min, max].
 * Memory: 8 bytes x TP_DIST_EXACT + 8 bytes x about 4900 buckets. */
#ifndef TPROF_CLI_BATCH_STATS_H
#define TPROF_CLI_BATCH_STATS_H

#include <stddef.h>
#include <stdint.h>

#define TP_DIST_EXACT 4096

typedef struct {
  uint64_t n;
  double sum, min, max;
  double *exact; /* first TP_DIST_EXACT values; freed when the batch outgrows it */
  uint64_t *buckets;
  uint64_t below; /* values under the first bucket (zero, negative, tiny) */
} tp_dist;

void tp_dist_init(tp_dist *d);
void tp_dist_add(tp_dist *d, double v);
/* q in [0, 1]; 0 for an empty distribution. */
double tp_dist_quantile(const tp_dist *d, double q);
int tp_dist_is_exact(const tp_dist *d);
void tp_dist_free(tp_dist *d);

#endif
