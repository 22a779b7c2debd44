/*
 * store-delivery.c - the delivery log: one row per delivered message.
 */
#include "store-private.h"

int
store_delivery_log(struct store *store, const char *message_id, time_t when,
		   const char *outcome, const char *folders,
		   const char **error_r)
{
	return store_run(store, "delivery log", error_r,
			 "INSERT INTO delivery_log (message_id, at, outcome, "
			 "folders) VALUES (?, ?, ?, ?)",
			 "tTtt", message_id, when, outcome, folders) < 0
		   ? -1
		   : 0;
}

int64_t
store_delivery_count(struct store *store, const char **error_r)
{
	int64_t n;

	if (store_row_int64(store, &n, "delivery count", error_r,
			    "SELECT count(*) FROM delivery_log", "") < 0)
		return -1;
	return n;
}
