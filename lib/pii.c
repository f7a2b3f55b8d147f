/*
 * pii.c: AES-256-GCM for personal-data columns and the HMAC blind index
 * of mail addresses.
 *
 * Blob: 0x01 | idlen | key id | nonce (12) | ciphertext | tag (16).
 * AAD:  "table\0column\0" | row id as 8 big-endian bytes.
 * The nonce is random (96 bits) for every encryption.
 */
#include <limits.h>
#include <string.h>

#include <openssl/evp.h>

#include "portal.h"

#define PII_VERSION	0x01
#define PII_NONCE	12
#define PII_TAG		16

/*
 * Feed the associated data for (table, column, rowid) into ctx, which is
 * set up for encryption or decryption.  0 or -1.
 */
static int
pii_aad(EVP_CIPHER_CTX *ctx, bool enc, const char *table,
    const char *column, uint64_t rowid)
{
	unsigned char	be[8];
	size_t		tl, cl;
	int		i, outl;

	tl = strlen(table);
	cl = strlen(column);
	if (tl >= INT_MAX || cl >= INT_MAX)
		return -1;
	for (i = 0; i < 8; i++)
		be[i] = (unsigned char)(rowid >> (56 - 8 * i));
	if (enc) {
		if (EVP_EncryptUpdate(ctx, NULL, &outl,
		    (const unsigned char *)table, (int)tl + 1) != 1 ||
		    EVP_EncryptUpdate(ctx, NULL, &outl,
		    (const unsigned char *)column, (int)cl + 1) != 1 ||
		    EVP_EncryptUpdate(ctx, NULL, &outl, be, 8) != 1)
			return -1;
	} else {
		if (EVP_DecryptUpdate(ctx, NULL, &outl,
		    (const unsigned char *)table, (int)tl + 1) != 1 ||
		    EVP_DecryptUpdate(ctx, NULL, &outl,
		    (const unsigned char *)column, (int)cl + 1) != 1 ||
		    EVP_DecryptUpdate(ctx, NULL, &outl, be, 8) != 1)
			return -1;
	}
	return 0;
}

/*
 * Encrypt pt[0..ptlen) for (table, column, rowid) with the active data
 * key into out[0..outcap); *outlen gets the blob length.  0, or -1 if the
 * ring has no key, out is too small or OpenSSL fails (out wiped).
 */
int
pii_encrypt(const struct keyring *kr, const char *table, const char *column,
    uint64_t rowid, const void *pt, size_t ptlen, unsigned char *out,
    size_t outcap, size_t *outlen)
{
	const struct datakey	*dk;
	EVP_CIPHER_CTX		*ctx = NULL;
	unsigned char		*nonce, *ct;
	size_t			 idlen, need;
	int			 outl, rc = -1;

	*outlen = 0;
	if (kr->ndata == 0)
		return -1;
	dk = &kr->data[0];
	idlen = strnlen(dk->id, sizeof(dk->id));
	if (idlen == 0 || idlen > KEY_ID_MAX)
		return -1;
	if (ptlen > INT_MAX - PII_OVERHEAD)
		return -1;
	need = 2 + idlen + PII_NONCE + ptlen + PII_TAG;
	if (need > outcap)
		return -1;

	out[0] = PII_VERSION;
	out[1] = (unsigned char)idlen;
	memcpy(out + 2, dk->id, idlen);
	nonce = out + 2 + idlen;
	ct = nonce + PII_NONCE;
	if (rand_bytes(nonce, PII_NONCE) == -1)
		goto out;

	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, PII_NONCE,
	    NULL) != 1 ||
	    EVP_EncryptInit_ex(ctx, NULL, NULL, dk->key, nonce) != 1 ||
	    pii_aad(ctx, true, table, column, rowid) == -1)
		goto out;
	if (ptlen > 0 && (EVP_EncryptUpdate(ctx, ct, &outl, pt, (int)ptlen)
	    != 1 || (size_t)outl != ptlen))
		goto out;
	if (EVP_EncryptFinal_ex(ctx, ct + ptlen, &outl) != 1 || outl != 0 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, PII_TAG,
	    ct + ptlen) != 1)
		goto out;
	*outlen = need;
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	if (rc == -1)
		wipe(out, need);
	return rc;
}

/*
 * Split a blob into key id (id, KEY_ID_MAX+1 bytes, NUL-terminated) and
 * the offset of its nonce.  -1 if the version, id length or id charset is
 * wrong or the blob is shorter than an empty ciphertext.
 */
static int
pii_parse(const unsigned char *in, size_t inlen, char *id, size_t *noff)
{
	size_t	idlen, i;

	if (inlen < 2 || in[0] != PII_VERSION)
		return -1;
	idlen = in[1];
	if (idlen == 0 || idlen > KEY_ID_MAX ||
	    inlen < 2 + idlen + PII_NONCE + PII_TAG)
		return -1;
	for (i = 0; i < idlen; i++) {
		unsigned char	c = in[2 + i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return -1;
		id[i] = (char)c;
	}
	id[idlen] = '\0';
	*noff = 2 + idlen;
	return 0;
}

/* Key id named by a blob into id (KEY_ID_MAX+1 bytes); 0 or -1. */
int
pii_key_id(const unsigned char *in, size_t inlen, char *id)
{
	size_t	noff;

	return pii_parse(in, inlen, id, &noff);
}

/*
 * Decrypt a blob for (table, column, rowid) into out[0..outcap) followed
 * by a NUL; *outlen gets the plaintext length.  -1 (out wiped) on an
 * unknown key, wrong associated data, tampering, a short blob or a small
 * buffer.
 */
int
pii_decrypt(const struct keyring *kr, const char *table, const char *column,
    uint64_t rowid, const unsigned char *in, size_t inlen, char *out,
    size_t outcap, size_t *outlen)
{
	const struct datakey	*dk = NULL;
	EVP_CIPHER_CTX		*ctx = NULL;
	const unsigned char	*nonce, *ct, *tag;
	unsigned char		 tagbuf[PII_TAG];
	char			 id[KEY_ID_MAX + 1];
	size_t			 noff, ctlen, i;
	int			 outl, rc = -1;

	*outlen = 0;
	if (pii_parse(in, inlen, id, &noff) == -1)
		return -1;
	for (i = 0; i < kr->ndata && i < KEYS_MAX; i++)
		if (strcmp(kr->data[i].id, id) == 0) {
			dk = &kr->data[i];
			break;
		}
	if (dk == NULL)
		return -1;
	nonce = in + noff;
	ct = nonce + PII_NONCE;
	ctlen = inlen - noff - PII_NONCE - PII_TAG;
	tag = ct + ctlen;
	if (ctlen > INT_MAX || outcap < ctlen + 1)
		return -1;
	memcpy(tagbuf, tag, PII_TAG);

	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, PII_NONCE,
	    NULL) != 1 ||
	    EVP_DecryptInit_ex(ctx, NULL, NULL, dk->key, nonce) != 1 ||
	    pii_aad(ctx, false, table, column, rowid) == -1)
		goto out;
	if (ctlen > 0 && (EVP_DecryptUpdate(ctx, (unsigned char *)out, &outl,
	    ct, (int)ctlen) != 1 || (size_t)outl != ctlen))
		goto out;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, PII_TAG,
	    tagbuf) != 1 ||
	    EVP_DecryptFinal_ex(ctx, (unsigned char *)out + ctlen, &outl) != 1 ||
	    outl != 0)
		goto out;
	out[ctlen] = '\0';
	*outlen = ctlen;
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	if (rc == -1)
		wipe(out, ctlen + 1 <= outcap ? ctlen + 1 : outcap);
	return rc;
}

/* HMAC-SHA-256 of the normalised address email under index_key. */
void
pii_blind_index(const struct keyring *kr, const char *email,
    unsigned char out[32])
{
	hmac_sha256(kr->index_key, sizeof(kr->index_key), email,
	    strlen(email), out);
}
