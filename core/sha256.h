/* sha256.h: SHA-256 (FIPS 180-4), for verifying the audit chain outside
 * the database: the verifier must not trust the server it checks to do its
 * arithmetic. */
#ifndef VSOC_SHA256_H
#define VSOC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN	32
#define SHA256_HEX_LEN	64

struct sha256 {
	uint32_t	h[8];
	uint64_t	bytes;
	unsigned char	buf[64];
	size_t		used;
};

void	 sha256_init(struct sha256 *s);
void	 sha256_update(struct sha256 *s, const void *data, size_t len);
void	 sha256_final(struct sha256 *s, unsigned char out[SHA256_LEN]);
/* The digest of data as 64 lower-case hex digits and a NUL. */
void	 sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);

#endif
