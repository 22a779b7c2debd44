/*
 * match-address.c - address parts (RFC 5228 2.7.4, RFC 5233 subaddress).
 */
#include <string.h>

#include "match.h"

char *
match_address_part(const char *addr, enum match_addrpart part,
		   const char *delimiters)
{
	const char *at = strrchr(addr, '@');
	size_t llen = at != NULL ? (size_t)(at - addr) : strlen(addr);
	size_t d;

	switch (part) {
	case MATCH_ADDR_ALL:
		return xstrdup(addr);
	case MATCH_ADDR_LOCALPART:
		return xstrndup(addr, llen);
	case MATCH_ADDR_DOMAIN:
		return xstrdup(at != NULL ? at + 1 : "");
	case MATCH_ADDR_USER:
	case MATCH_ADDR_DETAIL:
		if (delimiters == NULL || *delimiters == '\0')
			delimiters = "+";
		for (d = 0; d < llen; d++)
			if (strchr(delimiters, addr[d]) != NULL)
				break;
		if (part == MATCH_ADDR_USER)
			return xstrndup(addr, d);
		if (d == llen)
			return NULL;
		return xstrndup(addr + d + 1, llen - d - 1);
	}
	return NULL;
}
