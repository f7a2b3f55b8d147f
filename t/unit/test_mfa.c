/*
 * The TOTP helpers of member.c: the secret's encryption is bound to the
 * member's row (column "totp"), refuses null and tampered blobs, and the
 * recovery-code key is derived from the index key.
 */
#include <string.h>

#include "app.h"
#include "tap.h"

static void
make_ring(struct keyring *kr, unsigned char seed)
{
	size_t	i;

	memset(kr, 0, sizeof(*kr));
	strcpy(kr->data[0].id, "k1");
	for (i = 0; i < 32; i++) {
		kr->data[0].key[i] = (unsigned char)(seed + i);
		kr->index_key[i] = (unsigned char)(seed + 0x40 + i);
	}
	kr->ndata = 1;
}

int
main(void)
{
	struct keyring	 kr, other;
	struct arena	 a;
	struct db_val	 v;
	unsigned char	 secret[TOTP_SECRET_LEN], key[TOTP_KEY_MAX], *enc;
	unsigned char	 rk1[32], rk2[32], rk3[32];
	size_t		 enclen, keylen, i;

	make_ring(&kr, 1);
	make_ring(&other, 2);
	arena_init(&a, 4096);
	for (i = 0; i < sizeof(secret); i++)
		secret[i] = (unsigned char)(0xc0 + i);

	ok(member_totp_encrypt(&a, &kr, 7, secret, sizeof(secret), &enc,
	    &enclen) == 0, "secret encrypted");
	ok(enclen == sizeof(secret) + 2 + 2 + 12 + 16, "... blob length");
	for (i = 0; i + sizeof(secret) <= enclen; i++)
		if (memcmp(enc + i, secret, sizeof(secret)) == 0)
			break;
	ok(i + sizeof(secret) > enclen, "... the secret is not in the blob");
	v.p = (const char *)enc;
	v.len = enclen;
	v.null = false;
	ok(member_totp_decrypt(&kr, 7, &v, key, &keylen) == 0 &&
	    keylen == sizeof(secret) && memcmp(key, secret, keylen) == 0,
	    "round trip");
	ok(member_totp_decrypt(&kr, 8, &v, key, &keylen) != 0 && keylen == 0,
	    "another row's id does not decrypt");
	ok(member_totp_decrypt(&other, 7, &v, key, &keylen) != 0,
	    "another key ring does not decrypt");
	enc[enclen - 1] ^= 1;
	ok(member_totp_decrypt(&kr, 7, &v, key, &keylen) != 0,
	    "a tampered blob does not decrypt");
	v.null = true;
	v.len = 0;
	ok(member_totp_decrypt(&kr, 7, &v, key, &keylen) != 0,
	    "null does not decrypt");

	recovery_key(&kr, rk1);
	recovery_key(&kr, rk2);
	recovery_key(&other, rk3);
	ok(memcmp(rk1, rk2, 32) == 0, "recovery key is deterministic");
	ok(memcmp(rk1, rk3, 32) != 0, "... depends on the index key");
	ok(memcmp(rk1, kr.index_key, 32) != 0, "... is not the index key");

	arena_free(&a);
	keyring_wipe(&kr);
	keyring_wipe(&other);
	return done_testing();
}
