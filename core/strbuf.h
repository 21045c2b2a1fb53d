/* strbuf.h: a growable NUL-terminated string.
 *
 * Allocation failure aborts: vsoc cannot do anything useful without memory,
 * and checking every append would bury the logic. */
#ifndef VSOC_STRBUF_H
#define VSOC_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char	*buf;	/* always NUL-terminated once initialised */
	size_t	 len;
	size_t	 cap;
};

void	 strbuf_init(struct strbuf *sb);
void	 strbuf_free(struct strbuf *sb);
void	 strbuf_reset(struct strbuf *sb);
void	 strbuf_append(struct strbuf *sb, const char *s);
void	 strbuf_appendn(struct strbuf *sb, const char *s, size_t n);
void	 strbuf_appendc(struct strbuf *sb, char c);
void	 strbuf_appendf(struct strbuf *sb, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 strbuf_vappendf(struct strbuf *sb, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));
/* Hand the buffer to the caller (who frees it) and reset sb. */
char	*strbuf_detach(struct strbuf *sb);

/* xmalloc-style helpers that abort on exhaustion. */
void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
/* xstrdup, or NULL for NULL. */
char	*xstrdup_null(const char *s);
/* s..end without leading blanks and trailing blanks or CR (a line of a
 * settings or secrets file); *tend gets the new end. */
const char *str_trim(const char *s, const char *end, const char **tend);

#endif
