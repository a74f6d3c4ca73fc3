/* A small buffered writer for the exporter: stdio would allocate its buffers
 * on the program's heap, and an export must not. */
#include "internal.h"
#include "number_format.h"
#include "text_format.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

static void drain(tprof_out *o) {
  size_t done = 0;
  while (done < o->len && !o->error) {
    ssize_t n = write(o->fd, o->buf + done, o->len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      o->error = n < 0 ? errno : EIO;
    else
      done += (size_t)n;
  }
  o->len = 0;
}

void tprof_out_write(tprof_out *o, const void *p, size_t n) {
  if (TPROF_LIKELY(o->cap - o->len >= n && !o->error)) { /* room: most writes are a few bytes */
    memcpy(o->buf + o->len, p, n);
    o->len += n;
    return;
  }
  const char *src = p;
  while (n && !o->error) {
    if (o->len == o->cap) {
      if (o->fd < 0) {
        o->error = ENOSPC;
        return;
      }
      drain(o);
      continue;
    }
    size_t k = o->cap - o->len < n ? o->cap - o->len : n;
    memcpy(o->buf + o->len, src, k);
    o->len += k;
    src += k;
    n -= k;
  }
}

void tprof_out_putc_slow(int c, tprof_out *o) {
  char ch = (char)c;
  tprof_out_write(o, &ch, 1);
}

void tprof_out_printf(tprof_out *o, const char *fmt, ...) {
  char text[1024];
  va_list ap;
  va_start(ap, fmt);
  size_t n = tprof_vformat(text, sizeof text, fmt, ap); /* not the C library's: see text_format.h */
  va_end(ap);
  /* every caller prints numbers and fixed text: longer means a bug, not data */
  tprof_out_write(o, text, n < sizeof text ? n : sizeof text - 1);
}

/* Numbers without printf (tprof_out_u64 when the buffer is nearly full). */
void tprof_out_u64_slow(tprof_out *o, uint64_t v) {
  char text[20];
  tprof_out_write(o, text, tprof_format_u64(v, text));
}

void tprof_out_fixed(tprof_out *o, double v, int decimals) {
  char *p = tprof_out_room(o, 48); /* straight into the buffer: the report writes ~1,000 of these */
  if (!p) return;
  size_t n = tprof_format_fixed(v, decimals, p), zeros = 1;
  while (zeros < n && (p[zeros] == '0' || p[zeros] == '.')) zeros++;
  if (n && p[0] == '-' && zeros == n) memmove(p, p + 1, --n); /* a value that rounds to 0 has no sign here */
  if (n)
    tprof_out_commit(o, p + n);
  else /* NaN, huge, a rounding too close to call: printf's */
    tprof_out_printf(o, "%.*f", decimals, v);
}

void tprof_out_hex(tprof_out *o, uint64_t v) {
  char text[18];
  tprof_out_write(o, text, tprof_format_hex(v, text));
}

char *tprof_out_room_slow(tprof_out *o, size_t n) {
  if (o->error) return NULL;
  if (o->fd < 0 || n > o->cap) { /* a memory buffer is full; a row bigger than the buffer is a bug */
    o->error = ENOSPC;
    return NULL;
  }
  drain(o);
  return o->error ? NULL : o->buf;
}

int tprof_out_flush(tprof_out *o) {
  if (o->fd >= 0 && !o->error) drain(o);
  return o->error ? -1 : 0;
}
