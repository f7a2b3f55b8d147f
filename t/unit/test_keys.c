/*
 * test_keys.c: keyring_init_dir / keyring_load / keyring_wipe in a fresh
 * mkdtemp directory: creation, idempotence, permissions, corrupt files.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "portal.h"
#include "tap.h"

static char	dir[64];

/* Write text to dir/name with mode; aborts the test run on failure. */
static void
put(const char *name, const char *text, mode_t mode)
{
	char	 path[PATH_MAX];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF ||
	    fclose(f) == EOF || chmod(path, mode) == -1) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
}

/* Mode of dir/name, or -1. */
static int
mode_of(const char *name)
{
	char		path[PATH_MAX];
	struct stat	st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st) == -1)
		return -1;
	return (int)(st.st_mode & 07777);
}

#define K1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define K2 "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"

/* keyring_load must fail, with err naming want and free of key text. */
static void
load_fails(const char *want, const char *name)
{
	struct keyring	kr;
	char		err[512] = "";

	is_int(keyring_load(&kr, dir, err, sizeof(err)), -1, name);
	ok(strstr(err, want) != NULL, "  error names \"%s\": %s", want, err);
	ok(strstr(err, "00112233") == NULL && strstr(err, "ffeeddcc") == NULL
	    && strstr(err, "AABBCC") == NULL, "  error holds no key material");
	ok(kr.ndata == 0 && kr.index_key[0] == 0, "  keyring wiped");
}

/* Fresh directory: four files, 0640, loadable, second init creates none. */
static void
test_init(void)
{
	struct keyring	kr;
	char		err[512] = "";
	unsigned char	zero[32];
	int		r;

	memset(zero, 0, sizeof(zero));
	r = keyring_init_dir(dir, err, sizeof(err));
	is_int(r, 4, "init creates four files");
	is_int(mode_of("data.key"), 0640, "data.key mode 0640");
	is_int(mode_of("index.key"), 0640, "index.key mode 0640");
	is_int(mode_of("csrf.key"), 0640, "csrf.key mode 0640");
	is_int(mode_of("audit.key"), 0640, "audit.key mode 0640");

	r = keyring_load(&kr, dir, err, sizeof(err));
	is_int(r, 0, "load fresh keys");
	if (r != 0)
		printf("# %s\n", err);
	is_int(kr.ndata, 1, "one data key");
	ok(strlen(kr.data[0].id) == 10 && kr.data[0].id[0] == 'k' &&
	    kr.data[0].id[9] == 'a' && strspn(kr.data[0].id + 1,
	    "0123456789") == 8, "data key id kYYYYMMDDa: %s", kr.data[0].id);
	ok(memcmp(kr.data[0].key, zero, 32) != 0, "data key not zero");
	ok(memcmp(kr.index_key, kr.csrf_key, 32) != 0 &&
	    memcmp(kr.csrf_key, kr.audit_key, 32) != 0 &&
	    memcmp(kr.data[0].key, kr.index_key, 32) != 0,
	    "keys differ from each other");
	keyring_wipe(&kr);
	ok(memcmp(kr.index_key, zero, 32) == 0 && kr.ndata == 0,
	    "keyring_wipe zeroes");

	put("csrf.key", K1 "\n", 0600);
	is_int(keyring_init_dir(dir, err, sizeof(err)), 0,
	    "second init creates nothing");
	is_int(keyring_load(&kr, dir, err, sizeof(err)), 0, "load again");
	ok(kr.csrf_key[0] == 0x00 && kr.csrf_key[1] == 0x11 &&
	    kr.csrf_key[31] == 0xff, "existing file untouched by init");
	keyring_wipe(&kr);

	unlink("/nonexistent-portal-test/x");
	is_int(keyring_init_dir("/nonexistent-portal-test", err, sizeof(err)),
	    -1, "init in missing directory fails");
}

/* Rotation: two data keys, first is active. */
static void
test_rotation(void)
{
	struct keyring	kr;
	char		err[512] = "";

	put("data.key", "new " K2 "\nold_1-A " K1 "\n", 0640);
	is_int(keyring_load(&kr, dir, err, sizeof(err)), 0, "two data keys");
	is_int(kr.ndata, 2, "ndata 2");
	is_str(kr.data[0].id, "new", "active key first");
	is_str(kr.data[1].id, "old_1-A", "old key second");
	ok(kr.data[0].key[0] == 0xff && kr.data[1].key[31] == 0xff &&
	    kr.data[1].key[0] == 0x00, "key bytes decoded");
	keyring_wipe(&kr);

	put("data.key", "up " "00112233445566778899AABBCCDDEEFF"
	    "00112233445566778899AABBCCDDEEFF", 0600);
	is_int(keyring_load(&kr, dir, err, sizeof(err)), 0,
	    "upper-case hex, no final newline, mode 0600");
	keyring_wipe(&kr);
}

/* Every refusal. */
static void
test_refusals(void)
{
	char	many[2048];
	size_t	i;

	put("data.key", "a " K1 "\n", 0644);
	load_fails("data.key", "world-readable data.key refused");
	put("data.key", "a " K1 "\n", 0642);
	load_fails("mode", "world-writable refused");
	put("data.key", "a " K1 "\n", 0660);
	load_fails("mode", "group-writable refused");
	put("data.key", "a " K1 "\n", 0640);
	put("index.key", K2 "\n", 0604);
	load_fails("index.key", "world-readable index.key refused");
	put("index.key", K2 "\n", 0640);

	put("data.key", "", 0640);
	load_fails("data.key: no key", "empty data.key refused");
	put("data.key", "a " K1 "\nb 0011223344556677889XAABBCCDDEEFF"
	    "00112233445566778899aabbccddeeff\n", 0640);
	load_fails("data.key line 2", "bad hex refused");
	put("data.key", "a " K1 "\nb " K2 "aa\n", 0640);
	load_fails("line 2", "long hex refused");
	put("data.key", "a " K1 "\nb " "0011\n", 0640);
	load_fails("line 2", "short hex refused");
	put("data.key", "a b " K1 "\n", 0640);
	load_fails("line 1", "space in line refused");
	put("data.key", "bad.id " K1 "\n", 0640);
	load_fails("line 1: bad key ID", "ID with a dot refused");
	put("data.key", "abcdefghijklmnopq " K1 "\n", 0640);
	load_fails("line 1: bad key ID", "17-char ID refused");
	put("data.key", "abcdefghijklmnop " K1 "\n", 0640);
	{
		struct keyring	kr;
		char		err[256];

		is_int(keyring_load(&kr, dir, err, sizeof(err)), 0,
		    "16-char ID accepted");
		keyring_wipe(&kr);
	}
	put("data.key", " " K1 "\n", 0640);
	load_fails("line 1", "empty ID refused");
	put("data.key", K1 "\n", 0640);
	load_fails("line 1", "missing ID refused");
	put("data.key", "a " K1 "\r\n", 0640);
	load_fails("line 1", "CRLF refused");
	put("data.key", "a " K1 "\n\n", 0640);
	load_fails("line 2", "blank line refused");
	put("data.key", "a " K1 "\na " K2 "\n", 0640);
	load_fails("duplicate", "duplicate ID refused");

	many[0] = '\0';
	for (i = 0; i < KEYS_MAX + 1; i++) {
		char	line[100];

		snprintf(line, sizeof(line), "k%zu %s\n", i, K1);
		strcat(many, line);
	}
	put("data.key", many, 0640);
	load_fails("line 17", "more than KEYS_MAX lines refused");
	*strrchr(many, 'k') = '\0';
	put("data.key", many, 0640);
	{
		struct keyring	kr;
		char		err[256];

		is_int(keyring_load(&kr, dir, err, sizeof(err)), 0,
		    "exactly KEYS_MAX lines accepted");
		is_int(kr.ndata, KEYS_MAX, "ndata KEYS_MAX");
		keyring_wipe(&kr);
	}

	put("data.key", "a " K1 "\n", 0640);
	put("audit.key", K1 "\n" K2 "\n", 0640);
	load_fails("audit.key line 2", "second line in audit.key refused");
	put("audit.key", "", 0640);
	load_fails("audit.key: no key", "empty audit.key refused");
	put("audit.key", "zz\n", 0640);
	load_fails("audit.key line 1", "bad audit.key refused");
	put("audit.key", K1 "\n", 0640);
	{
		char	path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/csrf.key", dir);
		unlink(path);
	}
	load_fails("csrf.key", "missing csrf.key refused");
}

/* Remove the test directory. */
static void
cleanup(void)
{
	static const char *const names[] = {
	    "data.key", "index.key", "csrf.key", "audit.key" };
	char	path[PATH_MAX];
	size_t	i;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int
main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_keys.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_init();
	test_rotation();
	test_refusals();
	cleanup();
	return done_testing();
}
