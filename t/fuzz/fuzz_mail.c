/*
 * libFuzzer target: mail_build with fuzzed subject, display name,
 * recipient and body (split on NUL bytes).  A built message never has a
 * header line that is not "Name: value" or a folded continuation, so no
 * value can inject a header.
 */
#include <stdlib.h>
#include <string.h>

#include "portal.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "Date:", "From:", "To:",
	    "Subject:", "Message-ID:", "MIME-Version:", "Content-Type:",
	    "Content-Transfer-Encoding:" };
	struct arena	 a;
	struct buf	 out;
	struct mail	 m;
	char		*s, *part[4], *line, *end;
	size_t		 i, k, nparts = 0;
	bool		 known;

	arena_init(&a, 4096);
	s = arena_alloc(&a, size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	part[0] = s;
	for (i = 0, nparts = 1; i < size && nparts < 4; i++)
		if (s[i] == '\0')
			part[nparts++] = s + i + 1;
	while (nparts < 4)
		part[nparts++] = "";
	memset(&m, 0, sizeof(m));
	m.from = "noreply@portal.example.jp";
	m.from_name = part[0];
	m.subject = part[1];
	m.to = part[2][0] != '\0' ? part[2] : "member@example.jp";
	m.body = part[3];
	buf_init(&out, &a);
	if (mail_build(&out, &m, 1700000000) == MAIL_OK) {
		for (line = out.p; (end = strstr(line, "\r\n")) != NULL &&
		    end != line; line = end + 2) {
			if (line[0] == ' ' || line[0] == '\t')
				continue;
			known = false;
			for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
				if (strncmp(line, names[k],
				    strlen(names[k])) == 0)
					known = true;
			if (!known)
				abort();
		}
		if (memchr(out.p, '\0', out.len) != NULL)
			abort();
	}
	arena_free(&a);
	return 0;
}
