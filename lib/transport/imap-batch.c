/*
 * imap-batch.c - the adaptive size of the UID FETCH batches of
 * `ackmail poll`: halved after repeated failed fetches, doubled back
 * after a run of good ones (the rule is in transport.h).
 */
#include "transport.h"

void
imap_batch_init(struct imap_batch *b, long max, long size, int failures,
		int successes)
{
	b->max = max > 0 ? max : 1;
	b->size = size > 0 && size <= b->max ? size : b->max;
	b->failures = failures > 0 ? failures : 0;
	b->successes = successes > 0 ? successes : 0;
}

bool
imap_batch_failed(struct imap_batch *b)
{
	b->successes = 0;
	if (++b->failures < IMAP_BATCH_SHRINK_AFTER || b->size == 1)
		return false;
	b->failures = 0;
	b->size = b->size / 2 > 0 ? b->size / 2 : 1;
	return true;
}

bool
imap_batch_succeeded(struct imap_batch *b)
{
	b->failures = 0;
	if (b->size >= b->max) {
		b->successes = 0;
		return false;
	}
	if (++b->successes < IMAP_BATCH_GROW_AFTER)
		return false;
	b->successes = 0;
	b->size = b->size * 2 < b->max ? b->size * 2 : b->max;
	return true;
}
