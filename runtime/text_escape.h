/* Text escaping for every format tprof writes (JSON, CSV, Markdown, XML),
 * shared by the runtime's exporter and the tprof command so that a name is
 * written the same way everywhere. Names come from other people's programs
 * and files: anything may be in them, including bytes that are not UTF-8,
 * which become U+FFFD so that every output stays valid UTF-8.
 *
 * Self-contained (no runtime state, no allocation): the bytes go to a sink
 * the caller gives, the runtime's buffered writer or a stdio FILE. */
#ifndef TPROF_TEXT_ESCAPE_H
#define TPROF_TEXT_ESCAPE_H

#include <stddef.h>

typedef void (*tprof_text_sink)(void *ctx, const char *bytes, size_t n);

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one (stray
 * continuation byte, overlong form, surrogate, beyond U+10FFFF, truncated
 * sequence). Never reads past a NUL. */
size_t tprof_utf8_len(const unsigned char *s);

/* How many bytes s starts with that every format here writes as they are
 * (letters, digits, "_./-"); s[result] == 0 means all of them, so a
 * caller may copy s without the escaper (most names and paths). */
size_t tprof_plain_len(const char *s);

/* A JSON string literal, quotes included (NULL is ""). */
void tprof_escape_json(tprof_text_sink put, void *ctx, const char *s);
/* An RFC 4180 CSV field: quoted when it holds a comma, a quote or a line
 * break. */
void tprof_escape_csv(tprof_text_sink put, void *ctx, const char *s);
/* The text of a Markdown table cell: | escaped, ` turned into ' (so the
 * cell may be written as code), control characters into spaces. */
void tprof_escape_md(tprof_text_sink put, void *ctx, const char *s);
/* XML text or attribute value: & < > " escaped; control characters, which
 * XML 1.0 forbids even as references, become '?'. */
void tprof_escape_xml(tprof_text_sink put, void *ctx, const char *s);
/* s as it is, but with U+FFFD for each byte that is not valid UTF-8: for
 * text that is already in its format (such as a JSON document printed by a
 * library that copies string bytes as they are). */
void tprof_escape_utf8(tprof_text_sink put, void *ctx, const char *s);

#endif
