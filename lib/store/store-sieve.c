/*
 * store-sieve.c - the records Sieve needs between messages: vacation
 * replies sent (sender, handle, time: RFC 5230's "not twice within the
 * period") and duplicate ids (RFC 7352).
 */
#include "store-private.h"

int
store_vacation_seen(struct store *store, const char *sender, const char *handle,
		    time_t since, const char **error_r)
{
	return store_row(store, NULL, "vacation lookup", error_r,
			 "SELECT 1 FROM sieve_vacation WHERE sender = ? AND "
			 "handle = ? AND sent_at >= ?",
			 "ttT", sender, handle, since);
}

int
store_vacation_record(struct store *store, const char *sender,
		      const char *handle, time_t when, const char **error_r)
{
	return store_run(store, "vacation record", error_r,
			 "INSERT OR REPLACE INTO sieve_vacation (sender, "
			 "handle, sent_at) VALUES (?, ?, ?)",
			 "ttT", sender, handle, when) < 0
		   ? -1
		   : 0;
}

int
store_duplicate_seen(struct store *store, const char *id, time_t since,
		     time_t now, const char **error_r)
{
	return store_row(store, NULL, "duplicate lookup", error_r,
			 "SELECT 1 FROM sieve_duplicate WHERE id = ? AND "
			 "seen_at >= ? AND expires_at > ?",
			 "tTT", id, since, now);
}

int
store_duplicate_record(struct store *store, const char *id, time_t when,
		       long seconds, const char **error_r)
{
	if (store_run(store, "duplicate expiry", error_r,
		      "DELETE FROM sieve_duplicate WHERE expires_at <= ?", "T",
		      when) < 0 ||
	    store_run(store, "duplicate record", error_r,
		      "INSERT OR REPLACE INTO sieve_duplicate "
		      "(id, seen_at, expires_at) VALUES (?, ?, ?)",
		      "tTT", id, when, (time_t)(when + seconds)) < 0)
		return -1;
	return 0;
}
