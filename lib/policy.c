/*
 * policy.c: the password policy (AUTH-1).  Length limits come from
 * portal.conf; a password must contain upper case, lower case, a digit
 * and a symbol, and must not contain the mail address's local part.
 */
#include <ctype.h>
#include <string.h>

#include "app.h"

const char *
policy_check(const struct config *c, const char *pw, const char *email)
{
	const unsigned char	*p;
	size_t			 n, cls = 0;
	bool			 up = false, lo = false, dg = false, sy = false;
	char			 local[65], lpw[1025];
	const char		*at;
	size_t			 i;

	if (pw == NULL || *pw == '\0')
		return "err_required";
	if (!utf8_valid(pw, strlen(pw)))
		return "err_charset";
	n = utf8_count(pw);
	if (n < c->password_min_length)
		return "err_password_short";
	if (n > c->password_max_length)
		return "err_password_long";
	for (p = (const unsigned char *)pw; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return "err_charset";
		if (isupper(*p))
			up = true;
		else if (islower(*p))
			lo = true;
		else if (isdigit(*p))
			dg = true;
		else
			sy = true;
	}
	cls = (size_t)up + (size_t)lo + (size_t)dg + (size_t)sy;
	if (cls < 4)
		return "err_password_classes";
	if (email != NULL && (at = strchr(email, '@')) != NULL &&
	    (size_t)(at - email) >= 3 && (size_t)(at - email) < sizeof(local)) {
		for (i = 0; email + i < at; i++)
			local[i] = (char)tolower((unsigned char)email[i]);
		local[i] = '\0';
		for (i = 0; pw[i] != '\0' && i + 1 < sizeof(lpw); i++)
			lpw[i] = (char)tolower((unsigned char)pw[i]);
		lpw[i] = '\0';
		if (strstr(lpw, local) != NULL)
			return "err_password_contains_id";
	}
	return NULL;
}
