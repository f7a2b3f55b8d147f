/*
 * test_pii.c: AES-256-GCM round trips, binding to table/column/row,
 * tamper and truncation detection, key rotation, blind index.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "portal.h"
#include "tap.h"

/* A ring with two keys: "new" (active) and "old". */
static void
make_ring(struct keyring *kr)
{
	size_t	i;

	memset(kr, 0, sizeof(*kr));
	strcpy(kr->data[0].id, "new");
	strcpy(kr->data[1].id, "old");
	for (i = 0; i < 32; i++) {
		kr->data[0].key[i] = (unsigned char)(i + 1);
		kr->data[1].key[i] = (unsigned char)(0xa0 + i);
		kr->index_key[i] = (unsigned char)(0x40 + i);
	}
	kr->ndata = 2;
}

/* Encrypt then decrypt s; true if it comes back equal. */
static bool
round_trip(const struct keyring *kr, const char *s)
{
	unsigned char	blob[8192];
	char		out[8192];
	size_t		bl, ol;

	if (pii_encrypt(kr, "members", "name", 42, s, strlen(s), blob,
	    sizeof(blob), &bl) != 0 || bl != strlen(s) + 2 + 3 + 12 + 16)
		return false;
	if (pii_decrypt(kr, "members", "name", 42, blob, bl, out,
	    sizeof(out), &ol) != 0)
		return false;
	return ol == strlen(s) && strcmp(out, s) == 0;
}

/*
 * Independent check of the layout: decrypt with OpenSSL directly using
 * the documented AAD ("members\0name\0" + 42 big-endian).
 */
static bool
layout_ok(const struct keyring *kr, const unsigned char *b, size_t bl,
    const char *want)
{
	static const unsigned char aad[] = "members\0name\0"
	    "\0\0\0\0\0\0\0\x2a";
	EVP_CIPHER_CTX	*ctx;
	unsigned char	 pt[256], tag[16];
	int		 l = 0, l2 = 0, good;
	size_t		 ctlen;

	if (bl < 2 + 3 + 12 + 16 || b[0] != 1 || b[1] != 3 ||
	    memcmp(b + 2, "new", 3) != 0)
		return false;
	ctlen = bl - 33;
	memcpy(tag, b + bl - 16, 16);
	ctx = EVP_CIPHER_CTX_new();
	good = ctx != NULL &&
	    EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, kr->data[0].key,
	    b + 5) == 1 &&
	    EVP_DecryptUpdate(ctx, NULL, &l, aad, sizeof(aad) - 1) == 1 &&
	    EVP_DecryptUpdate(ctx, pt, &l, b + 17, (int)ctlen) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag) == 1 &&
	    EVP_DecryptFinal_ex(ctx, pt + l, &l2) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return good && (size_t)l == strlen(want) &&
	    memcmp(pt, want, strlen(want)) == 0;
}

static void
test_round_trip(const struct keyring *kr)
{
	char	longs[4000];
	size_t	i;

	ok(round_trip(kr, ""), "empty plaintext");
	ok(round_trip(kr, "Taro Yamada"), "ASCII");
	ok(round_trip(kr, "山田 太郎"), "Japanese");
	longs[0] = '\0';
	for (i = 0; i < 150; i++)
		strcat(longs, "東京都千代田区🍣");	/* 25 bytes */
	ok(strlen(longs) == 3750 && round_trip(kr, longs),
	    "long UTF-8 string (3750 bytes)");
}

static void
test_binding(const struct keyring *kr)
{
	unsigned char	blob[256], b2[256];
	char		out[256], id[KEY_ID_MAX + 1];
	size_t		bl, bl2, ol, i;
	int		bad;

	is_int(pii_encrypt(kr, "members", "name", 42, "山田", 6, blob,
	    sizeof(blob), &bl), 0, "encrypt");
	ok(layout_ok(kr, blob, bl, "山田"),
	    "blob decrypts with OpenSSL using the documented layout and AAD");
	is_int(pii_decrypt(kr, "members", "name", 43, blob, bl, out,
	    sizeof(out), &ol), -1, "other row id fails");
	is_int(pii_decrypt(kr, "members", "kana", 42, blob, bl, out,
	    sizeof(out), &ol), -1, "other column fails");
	is_int(pii_decrypt(kr, "admins", "name", 42, blob, bl, out,
	    sizeof(out), &ol), -1, "other table fails");
	is_int(pii_decrypt(kr, "membersn", "ame", 42, blob, bl, out,
	    sizeof(out), &ol), -1, "table/column boundary is bound");
	is_int(pii_decrypt(kr, "members", "name", 42ULL | 1ULL << 40, blob,
	    bl, out, sizeof(out), &ol), -1, "high row id bits are bound");

	bad = 0;
	for (i = 0; i < bl; i++) {
		memcpy(b2, blob, bl);
		b2[i] ^= 0x01;
		if (pii_decrypt(kr, "members", "name", 42, b2, bl, out,
		    sizeof(out), &ol) != -1)
			bad++;
		b2[i] ^= 0x81;
		if (pii_decrypt(kr, "members", "name", 42, b2, bl, out,
		    sizeof(out), &ol) != -1)
			bad++;
	}
	is_int(bad, 0, "flipping any single byte fails");
	bad = 0;
	for (i = 0; i < bl; i++)
		if (pii_decrypt(kr, "members", "name", 42, blob, i, out,
		    sizeof(out), &ol) != -1)
			bad++;
	is_int(bad, 0, "every truncation fails");
	memcpy(b2, blob, bl);
	b2[bl] = 0;
	is_int(pii_decrypt(kr, "members", "name", 42, b2, bl + 1, out,
	    sizeof(out), &ol), -1, "extended blob fails");

	is_int(pii_decrypt(kr, "members", "name", 42, blob, bl, out, 6, &ol),
	    -1, "no room for NUL fails");
	is_int(pii_decrypt(kr, "members", "name", 42, blob, bl, out, 7, &ol),
	    0, "exact room works");
	is_int(pii_encrypt(kr, "members", "name", 42, "山田", 6, b2,
	    bl - 1, &bl2), -1, "encrypt into short buffer fails");

	is_int(pii_encrypt(kr, "members", "name", 42, "山田", 6, b2,
	    sizeof(b2), &bl2), 0, "encrypt again");
	ok(bl == bl2 && memcmp(blob, b2, bl) != 0,
	    "two encryptions of one value differ");
	ok(memcmp(blob + 5, b2 + 5, 12) != 0, "nonces differ");

	is_int(pii_key_id(blob, bl, id), 0, "pii_key_id");
	is_str(id, "new", "active key id in blob");
	is_int(pii_key_id(blob, 1, id), -1, "pii_key_id short blob");
}

static void
test_rotation(const struct keyring *kr)
{
	struct keyring	old, other;
	unsigned char	blob[256];
	char		out[256], id[KEY_ID_MAX + 1];
	size_t		bl, ol;

	/* A ring where "old" was active. */
	memset(&old, 0, sizeof(old));
	old.data[0] = kr->data[1];
	old.ndata = 1;
	is_int(pii_encrypt(&old, "members", "phone", 7, "0312345678", 10,
	    blob, sizeof(blob), &bl), 0, "encrypt with old key");
	pii_key_id(blob, bl, id);
	is_str(id, "old", "blob names old key");
	ok(pii_decrypt(kr, "members", "phone", 7, blob, bl, out, sizeof(out),
	    &ol) == 0 && strcmp(out, "0312345678") == 0,
	    "rotated ring still decrypts old blob");

	memcpy(&other, kr, sizeof(other));
	strcpy(other.data[1].id, "older");
	is_int(pii_decrypt(&other, "members", "phone", 7, blob, bl, out,
	    sizeof(out), &ol), -1, "unknown key id fails");
	strcpy(other.data[1].id, "old");
	other.data[1].key[0] ^= 1;
	is_int(pii_decrypt(&other, "members", "phone", 7, blob, bl, out,
	    sizeof(out), &ol), -1, "same id, wrong key fails");
	keyring_wipe(&other);
	keyring_wipe(&old);

	memset(&other, 0, sizeof(other));
	is_int(pii_encrypt(&other, "t", "c", 1, "x", 1, blob, sizeof(blob),
	    &bl), -1, "empty ring cannot encrypt");
}

static void
test_blind(const struct keyring *kr)
{
	struct keyring	other;
	unsigned char	a[32], b[32], c[32];
	char		h[65];

	pii_blind_index(kr, "taro@example.jp", a);
	pii_blind_index(kr, "taro@example.jp", b);
	ok(memcmp(a, b, 32) == 0, "blind index deterministic");
	hmac_sha256(kr->index_key, 32, "taro@example.jp", 15, c);
	ok(memcmp(a, c, 32) == 0, "blind index is HMAC-SHA-256(index_key)");
	pii_blind_index(kr, "jiro@example.jp", b);
	ok(memcmp(a, b, 32) != 0, "other address differs");
	memcpy(&other, kr, sizeof(other));
	other.index_key[31] ^= 0x80;
	pii_blind_index(&other, "taro@example.jp", b);
	ok(memcmp(a, b, 32) != 0, "blind index depends on the key");
	hex_encode(h, a, 32);
	ok(strlen(h) == 64, "blind index hex %s", h);
	keyring_wipe(&other);
}

int
main(void)
{
	struct keyring	kr;

	make_ring(&kr);
	test_round_trip(&kr);
	test_binding(&kr);
	test_rotation(&kr);
	test_blind(&kr);
	keyring_wipe(&kr);
	return done_testing();
}
