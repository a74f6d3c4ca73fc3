/* Doubles as JSON and CSV numbers, shared by the runtime's exporter and the
 * tprof command. Every value is written with a decimal point or an exponent
 * (2.0, not 2), so that tools that type a column from its first values
 * (DuckDB, pandas) never take a float field for an integer one; and in the
 * fewest digits that read back as the same double. Self-contained: no
 * locale, no allocation. */
#ifndef TPROF_NUMBER_FORMAT_H
#define TPROF_NUMBER_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define TPROF_NUMBER_MAX 32 /* bytes a formatted number may take, NUL included */

/* Writes v into buf (TPROF_NUMBER_MAX bytes), NUL-terminated; returns the
 * length. NaN and infinities, which JSON cannot hold, are written as 0.0. */
size_t tprof_format_double(double v, char *buf);
/* v rounded to `digits` (1..15) significant decimal digits, as the double
 * nearest that decimal: tprof_format_double then writes it by its integer
 * path (a few dozen instructions) instead of printf and strtod (~3,500 for a
 * value that needs 16 or 17 digits, such as a mean or bytes / 2^20). Values
 * outside [1e-7, 1e15) are returned unchanged. */
double tprof_round_significant(double v, int digits);
/* The text tprof_format_double(tprof_round_significant(v, digits)) writes,
 * into buf (TPROF_NUMBER_MAX bytes, NUL-terminated), from the rounding's
 * integers for the common values; returns the length. */
size_t tprof_format_significant(double v, int digits, char *buf);
/* The text tprof_format_double(ns / 1e6) writes (a time in ms to the ns),
 * for whole nanoseconds ns, by integer arithmetic: ~30 instructions instead
 * of a double's division and checks. out: TPROF_NUMBER_MAX bytes, not
 * terminated; returns the length. */
size_t tprof_format_ns_as_ms(uint64_t ns, char *out);
/* The same for ns / 1e9, a time in seconds to the ns (cProfile's unit). */
size_t tprof_format_ns_as_s(uint64_t ns, char *out);
/* v as "0x%llx" into out (at least 18 bytes, not terminated); returns the length. */
size_t tprof_format_hex(uint64_t v, char *out);
/* n in decimal into out (at least 20 bytes, not terminated); returns the length. */
size_t tprof_format_u64(uint64_t n, char *out);

/* (double)v, through int64_t below 2^63: one instruction where uint64_t's
 * conversion takes a dozen (x86-64 has no unsigned one); the same value. */
static inline double tprof_double_of(uint64_t v) { return (int64_t)v >= 0 ? (double)(int64_t)v : (double)v; }

/* v with `decimals` (0..6) digits after the point, the text of "%.*f", into
 * out (at least 24 bytes, not terminated); returns its length, or 0 when
 * it cannot be written without printf (NaN, infinities, |v| * 10^decimals
 * of 10^14 or more, a rounding within a double's error of a tie). */
size_t tprof_format_fixed(double v, int decimals, char *out);

#endif
