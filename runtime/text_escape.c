#include "text_escape.h"

#include <stdio.h>
#include <string.h>

size_t tprof_utf8_len(const unsigned char *s) {
  if (s[0] < 0x80) return 1;
  size_t n = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
  if (!n) return 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  if (n == 3 && s[0] == 0xE0 && s[1] < 0xA0) return 0;  /* overlong */
  if (n == 3 && s[0] == 0xED && s[1] >= 0xA0) return 0; /* surrogates */
  if (n == 4 && s[0] == 0xF0 && s[1] < 0x90) return 0;  /* overlong */
  if (n == 4 && s[0] == 0xF4 && s[1] >= 0x90) return 0; /* > U+10FFFF */
  return n;
}

static const char replacement[] = "\xEF\xBF\xBD";

/* What one ASCII byte becomes in a format, or NULL when it stays as it is. */
typedef const char *(*ascii_rule)(unsigned char c, char *buf);

/* Letters, digits and "_./-": no format's rule changes them, and they are
 * most of what names and paths are made of. A table: one load a byte
 * instead of five compares (the exporter escapes every name and path). */
static const unsigned char plain_byte[256] = {
    ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1, ['_'] = 1, ['.'] = 1, ['/'] = 1, ['-'] = 1,
};
static inline int plain(unsigned char c) { return plain_byte[c]; }

size_t tprof_plain_len(const char *s) {
  size_t n = 0;
  while (plain((unsigned char)s[n])) n++; /* the table says 0 for the NUL */
  return n;
}

/* Runs of bytes that stay as they are go to the sink in one call. */
static void escape(tprof_text_sink put, void *ctx, const char *str, ascii_rule rule) {
  const unsigned char *s = (const unsigned char *)(str ? str : ""), *run = s;
  char buf[8];
  while (*s) {
    if (plain(*s)) { /* the common byte, without the UTF-8 check and the rule's call */
      s++;
      continue;
    }
    size_t n = tprof_utf8_len(s);
    const char *sub = n == 0 ? replacement : n == 1 && rule ? rule(*s, buf) : NULL;
    if (!sub) {
      s += n;
      continue;
    }
    if (s > run) put(ctx, (const char *)run, (size_t)(s - run));
    put(ctx, sub, strlen(sub));
    s += n ? n : 1;
    run = s;
  }
  if (s > run) put(ctx, (const char *)run, (size_t)(s - run));
}

static const char *json_rule(unsigned char c, char *buf) {
  switch (c) {
  case '"':
    return "\\\"";
  case '\\':
    return "\\\\";
  case '\n':
    return "\\n";
  case '\r':
    return "\\r";
  case '\t':
    return "\\t";
  }
  if (c < 0x20 || c == 0x7F) {
    snprintf(buf, 8, "\\u%04x", c);
    return buf;
  }
  return NULL;
}

void tprof_escape_json(tprof_text_sink put, void *ctx, const char *s) {
  put(ctx, "\"", 1);
  escape(put, ctx, s, json_rule);
  put(ctx, "\"", 1);
}

static const char *csv_rule(unsigned char c, char *buf) {
  (void)buf;
  return c == '"' ? "\"\"" : NULL;
}

void tprof_escape_csv(tprof_text_sink put, void *ctx, const char *s) {
  int quote = s && strpbrk(s, ",\"\r\n") != NULL;
  if (quote) put(ctx, "\"", 1);
  escape(put, ctx, s, csv_rule);
  if (quote) put(ctx, "\"", 1);
}

static const char *md_rule(unsigned char c, char *buf) {
  (void)buf;
  if (c == '|') return "\\|";
  if (c == '`') return "'";
  return c < 0x20 || c == 0x7F ? " " : NULL;
}

void tprof_escape_md(tprof_text_sink put, void *ctx, const char *s) { escape(put, ctx, s, md_rule); }

static const char *xml_rule(unsigned char c, char *buf) {
  (void)buf;
  switch (c) {
  case '&':
    return "&amp;";
  case '<':
    return "&lt;";
  case '>':
    return "&gt;";
  case '"':
    return "&quot;";
  }
  return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F ? "?" : NULL;
}

void tprof_escape_xml(tprof_text_sink put, void *ctx, const char *s) { escape(put, ctx, s, xml_rule); }

void tprof_escape_utf8(tprof_text_sink put, void *ctx, const char *s) { escape(put, ctx, s, NULL); }
