/*
 * Template table for building t/unit/test_tpl.c by hand, without the
 * generated templates.c.  Not linked by the real build (which links
 * test_tpl with libportal.a and its generated table instead).
 */
#include "portal.h"

const struct tpl_source tpl_sources[] = {
	{ "fixture_a", "A({{x}})" },
	{ "fixture_b", "B{{>fixture_a}}{{#items}}<{{>fixture_a}}>{{/items}}" },
	{ "fixture_loop", "L{{>fixture_loop}}" },
	{ "fixture_bad", "{{#x}}" },
};
const size_t tpl_nsources = sizeof(tpl_sources) / sizeof(tpl_sources[0]);
