/*
 * Unit tests for lib/tpl.c.  Everything is tested through
 * tpl_render_text except partials, which use whatever template table is
 * linked: the generated one in the real build, t/unit/tpl_fixture.c when
 * built by hand (its fixture_* templates get extra checks).
 */
#include <string.h>

#include "portal.h"
#include "tap.h"

static struct arena	ar;

/*
 * Render text with v; returns the output, or "(error)" if rendering
 * failed.
 */
static const char *
r(const char *text, const struct tpl_vars *v)
{
	struct buf	b;

	buf_init(&b, &ar);
	if (tpl_render_text(&b, text, v) != 0)
		return "(error)";
	return b.p;
}

/*
 * Index of template name in tpl_sources, or -1.
 */
static long
src_index(const char *name)
{
	size_t	i;

	for (i = 0; i < tpl_nsources; i++)
		if (strcmp(tpl_sources[i].name, name) == 0)
			return (long)i;
	return -1;
}

/*
 * Scopes: set, setf, get, overriding, parent fallback.
 */
static void
test_vars(void)
{
	struct tpl_vars	*v, *it;

	v = tpl_vars_new(&ar);
	ok(tpl_get(v, "a") == NULL, "missing is NULL");
	tpl_set(v, "a", "1");
	is_str(tpl_get(v, "a"), "1", "set/get");
	tpl_set(v, "a", "2");
	is_str(tpl_get(v, "a"), "2", "set replaces");
	tpl_setf(v, "n", "%d-%s", 7, "x");
	is_str(tpl_get(v, "n"), "7-x", "setf");
	tpl_set(v, "z", NULL);
	is_str(tpl_get(v, "z"), "", "NULL value stored as empty");
	it = tpl_add(v, "list");
	ok(it != NULL, "add returns a scope");
	ok(tpl_get(v, "list") == NULL, "a list is not a string");
	is_str(tpl_get(it, "a"), "2", "item falls back to parent");
	tpl_set(it, "a", "inner");
	is_str(tpl_get(it, "a"), "inner", "item shadows parent");
	is_str(tpl_get(v, "a"), "2", "parent unchanged");
	ok(tpl_get(NULL, "a") == NULL, "NULL scope");
}

/*
 * Variables, escaping, comments, messages.
 */
static void
test_values(void)
{
	struct tpl_vars	*v;

	v = tpl_vars_new(&ar);
	tpl_set(v, "name", "<script>alert('x')</script>");
	tpl_set(v, "attr", "\" onclick=`y`");
	tpl_set(v, "q", "a b&c=d/日");
	tpl_set(v, "plain", "hello");
	is_str(r("", v), "", "empty template");
	is_str(r("no tags at all { } }}", v), "no tags at all { } }}",
	    "text without tags, lone braces");
	is_str(r("Hi {{plain}}!", v), "Hi hello!", "variable");
	is_str(r("{{ plain }}", v), "hello", "spaces inside tag");
	is_str(r("<p>{{name}}</p>", v),
	    "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>",
	    "text XSS escaped");
	is_str(r("<a title=\"{{attr}}\">", v),
	    "<a title=\"&quot; onclick&#61;&#96;y&#96;\">",
	    "attribute XSS escaped");
	is_str(r("?q={{%q}}", v), "?q=a%20b%26c%3Dd%2F%E6%97%A5",
	    "URL escaping");
	is_str(r("?q={{%name}}", v),
	    "?q=%3Cscript%3Ealert%28%27x%27%29%3C%2Fscript%3E",
	    "URL escaping of XSS");
	is_str(r("[{{missing}}][{{%missing}}]", v), "[][]",
	    "missing renders empty");
	is_str(r("a{{! a comment with {{ and } }}b", v), "ab", "comment");
	is_str(r("a{{!}}b", v), "ab", "empty comment");
	ok(msg_get("site_name") != NULL, "catalogue has site_name");
	{
		struct buf	want;

		buf_init(&want, &ar);
		buf_putc(&want, '[');
		esc_html(&want, msg_get("site_name"));
		buf_putc(&want, ']');
		is_str(r("[{{@site_name}}]", v), want.p, "message, escaped");
	}
	is_str(r("[{{@no_such_message_key_zz}}]", v), "[]",
	    "unknown message empty");
	is_str(r("{{plain}}", NULL), "", "NULL scope renders empty");
}

/*
 * Sections: strings, lists with item scope, inverted sections.
 */
static void
test_sections(void)
{
	struct tpl_vars	*v, *it, *sub;

	v = tpl_vars_new(&ar);
	tpl_set(v, "yes", "1");
	tpl_set(v, "empty", "");
	tpl_set(v, "who", "outer");
	is_str(r("{{#yes}}Y{{/yes}}{{#empty}}E{{/empty}}{{#none}}N{{/none}}",
	    v), "Y", "string sections");
	is_str(r("{{^yes}}Y{{/yes}}{{^empty}}E{{/empty}}{{^none}}N{{/none}}",
	    v), "EN", "inverted sections");
	is_str(r("{{#yes}}{{who}}{{/yes}}", v), "outer",
	    "string section keeps scope");
	is_str(r("{{# yes }}a{{/ yes }}", v), "a", "spaces in section tags");

	it = tpl_add(v, "items");
	tpl_set(it, "who", "<1>");
	it = tpl_add(v, "items");
	tpl_set(it, "n", "2");
	it = tpl_add(v, "items");
	tpl_set(it, "who", "3");
	sub = tpl_add(it, "subs");
	tpl_set(sub, "s", "x");
	sub = tpl_add(it, "subs");
	tpl_set(sub, "s", "y");
	is_str(r("{{#items}}[{{who}}{{n}}]{{/items}}", v),
	    "[&lt;1&gt;][outer2][3]", "list: item scope first, then parent");
	is_str(r("{{#items}}{{#subs}}{{s}}{{who}};{{/subs}}{{/items}}", v),
	    "x3;y3;", "nested lists see enclosing item");
	is_str(r("{{^items}}none{{/items}}", v), "", "inverted on list");
	is_str(r("{{#items}}{{^n}}-{{/n}}{{/items}}", v), "--",
	    "inverted inside list");
	is_str(r("{{#who}}{{#items}}.{{/items}}{{/who}}", v), "...",
	    "list inside string section");
	is_str(r("{{#a}}{{#b}}x{{/b}}{{/a}}", v), "", "nested missing");
}

/*
 * Syntax errors, balance and the depth limit.
 */
static void
test_errors(void)
{
	struct tpl_vars	*v;
	struct buf	 b;
	char		 deep[512];
	int		 i;

	v = tpl_vars_new(&ar);
	is_str(r("{{#a}}x", v), "(error)", "unclosed section");
	is_str(r("x{{/a}}", v), "(error)", "close without open");
	is_str(r("{{#a}}{{#b}}{{/a}}{{/b}}", v), "(error)", "crossed sections");
	is_str(r("{{#a}}{{/b}}", v), "(error)", "wrong close name");
	is_str(r("{{^a}}{{/a}}{{/a}}", v), "(error)", "extra close");
	is_str(r("abc {{name", v), "(error)", "unclosed {{");
	is_str(r("abc {{name}", v), "(error)", "half-closed {{");
	is_str(r("{{", v), "(error)", "lone {{");
	is_str(r("{{}}", v), "(error)", "empty tag");
	is_str(r("{{ }}", v), "(error)", "blank tag");
	is_str(r("{{#}}{{/}}", v), "(error)", "empty section name");
	is_str(r("{{{name}}}", v), "(error)", "triple braces: no raw output");
	is_str(r("{{&name}}", v), "(error)", "ampersand: no raw output");
	is_str(r("{{na me}}", v), "(error)", "space inside name");
	is_str(r("{{a<b}}", v), "(error)", "bad character in name");
	is_str(r("{{#no}}{{>no_such_template_zz}}{{/no}}", v), "(error)",
	    "unknown partial in a branch not taken");
	is_str(r("{{#no}}{{bad name}}{{/no}}", v), "(error)",
	    "bad tag in a branch not taken");
	buf_init(&b, &ar);
	is_int(tpl_render_text(&b, NULL, v), -1, "NULL text");
	is_int(tpl_render(&b, "no_such_template_zz", v), -1,
	    "unknown template");
	is_int(tpl_render(&b, NULL, v), -1, "NULL name");

	/* 16 nested sections render, 17 do not. */
	tpl_set(v, "s", "1");
	deep[0] = '\0';
	for (i = 0; i < 16; i++)
		strcat(deep, "{{#s}}");
	strcat(deep, "x");
	for (i = 0; i < 16; i++)
		strcat(deep, "{{/s}}");
	is_str(r(deep, v), "x", "16 levels of nesting");
	deep[0] = '\0';
	for (i = 0; i < 17; i++)
		strcat(deep, "{{^t}}");
	strcat(deep, "x");
	for (i = 0; i < 17; i++)
		strcat(deep, "{{/t}}");
	is_str(r(deep, v), "(error)", "17 levels refused");
}

/*
 * Partials from the linked table, generic first, then the fixtures.
 */
static void
test_partials(void)
{
	struct tpl_vars	*v, *it;
	struct buf	 plain, want, got, text;
	long		 i;

	v = tpl_vars_new(&ar);
	tpl_set(v, "x", "<x>");
	if (tpl_nsources > 0 && src_index("fixture_bad") != 0) {
		buf_init(&plain, &ar);
		buf_init(&want, &ar);
		buf_init(&got, &ar);
		buf_init(&text, &ar);
		is_int(tpl_render_text(&plain, tpl_sources[0].text, v), 0,
		    "first template renders as text");
		buf_printf(&want, "[%s]", plain.p);
		buf_printf(&text, "[{{>%s}}]", tpl_sources[0].name);
		is_int(tpl_render_text(&got, text.p, v), 0, "partial renders");
		is_str(got.p, want.p, "partial output equals its text");
		buf_init(&got, &ar);
		is_int(tpl_render(&got, tpl_sources[0].name, v), 0,
		    "tpl_render by name");
		is_str(got.p, plain.p, "tpl_render output equals its text");
	} else
		ok(1, "no templates linked: generic partial tests skipped");

	if ((i = src_index("fixture_a")) < 0 || src_index("fixture_b") < 0 ||
	    src_index("fixture_loop") < 0 || src_index("fixture_bad") < 0)
		return;
	is_str(r("{{>fixture_a}}", v), "A(&lt;x&gt;)", "fixture partial");
	is_str(r("{{> fixture_a }}", v), "A(&lt;x&gt;)", "spaces in partial");
	it = tpl_add(v, "items");
	tpl_set(it, "x", "1");
	it = tpl_add(v, "items");
	(void)it;
	is_str(r("{{>fixture_b}}", v), "BA(&lt;x&gt;)<A(1)><A(&lt;x&gt;)>",
	    "nested partials share the scope");
	is_str(r("{{>fixture_loop}}", v), "(error)",
	    "self-including partial hits the depth limit");
	is_str(r("{{>fixture_bad}}", v), "(error)",
	    "partial with an unbalanced section");
	buf_init(&got, &ar);
	is_int(tpl_render(&got, "fixture_b", v), 0, "tpl_render fixture");
	is_str(got.p, "BA(&lt;x&gt;)<A(1)><A(&lt;x&gt;)>", "tpl_render output");
}

/*
 * Run every test; TAP on stdout, exit status 1 if any failed.
 */
int
main(void)
{
	arena_init(&ar, 4096);
	test_vars();
	test_values();
	test_sections();
	test_errors();
	test_partials();
	arena_free(&ar);
	return done_testing();
}
