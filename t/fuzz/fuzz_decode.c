/*
 * libFuzzer target: the decoders (base64url, hex, base32, DB times,
 * recovery codes) and the password policy on arbitrary input.
 */
#include <stdlib.h>
#include <string.h>

#include "portal.h"
#include "app.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	 a;
	struct config	 c;
	struct policy	 p;
	unsigned char	 out[128];
	char		*s, rc[RECOVERY_CODE_LEN + 1];
	const char	*keys[PR__MAX];
	time_t		 t;
	ssize_t		 n;

	arena_init(&a, 4096);
	s = arena_strndup(&a, (const char *)data, size);
	n = b64url_decode(out, sizeof(out), (const char *)data, size);
	if (n > (ssize_t)sizeof(out))
		abort();
	n = b32_decode(out, sizeof(out), (const char *)data, size);
	if (n > (ssize_t)sizeof(out))
		abort();
	(void)hex_decode(out, 16, s);
	(void)time_parse_db(s, &t);
	if (recovery_code_normalize(rc, s) == 0 &&
	    strlen(rc) != RECOVERY_CODE_LEN)
		abort();
	config_defaults(&c);
	policy_for_role(&c, ROLE_MEMBER, &p);
	if (policy_check_all(&p, s, "taro@example.jp", s, "ヤマダ", keys,
	    PR__MAX) > PR__MAX)
		abort();
	arena_free(&a);
	return 0;
}
