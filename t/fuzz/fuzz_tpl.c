/*
 * libFuzzer target: the template engine on arbitrary template text with
 * variables that hold markup; rendering must never crash, and when the
 * template text itself has no markup character, the output has none
 * either (values and catalogue texts only ever come out escaped).
 */
#include <stdlib.h>
#include <string.h>

#include "portal.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	 a;
	struct buf	 b;
	struct tpl_vars	*v, *item;
	char		*text;

	arena_init(&a, 4096);
	text = arena_strndup(&a, (const char *)data, size);
	v = tpl_vars_new(&a);
	tpl_set(v, "x", "<script>RAWX</script>");
	tpl_set(v, "y", "\"onload='RAWY'");
	item = tpl_add(v, "list");
	tpl_set(item, "x", "<b>RAWI</b>");
	(void)tpl_add(v, "list");
	buf_init(&b, &a);
	if (tpl_render_text(&b, text, v) == 0 &&
	    strpbrk(text, "<>\"'") == NULL && strpbrk(b.p, "<>\"'") != NULL)
		abort();
	arena_free(&a);
	return 0;
}
