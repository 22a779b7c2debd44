/*
 * pm-regex.c - procmail's regular expression dialect, as a small
 * Thompson automaton of our own (a Pike VM).
 *
 * The dialect: . * + ? | ( ) [ ] [^ ] \c; case-insensitive unless asked;
 * ^ and $ match a newline character (they consume it) or the very start
 * / end of the search area; ^^ anchors at the start of the search area
 * (or, anywhere but first, at its end); \< and \> match one non-word
 * character (or the area's edge); [^x] never matches a newline; no {n},
 * no \d.
 *
 * Matching is "earliest end": the search runs from every start position
 * at once and stops at the first position where any thread accepts.
 * With \/ the thread that won records where it crossed \/; from there
 * the rest of the expression is run again, anchored, and the longest
 * match is taken for MATCH (procmail's "minimal left, maximal right").
 */
#include <stdlib.h>
#include <string.h>

#include "procmail.h"

enum op {
	OP_SET,	  /* consume one byte in the set */
	OP_SPLIT, /* fork: x first, then y */
	OP_JMP,
	OP_START, /* zero width: area start */
	OP_END,	  /* zero width: area end */
	OP_CUT,	  /* \/ */
	OP_MATCH,
};

struct inst {
	enum op op;
	int x, y;
	int set; /* OP_SET: index into sets */
};

struct pm_regex {
	struct inst *prog;
	int n, cap;
	unsigned char (*sets)[32];
	int nsets, capsets;
	bool has_cut;
	/* parser state */
	const unsigned char *p, *end;
	bool icase;
	const char *error;
	int depth;
};

static int
emit(struct pm_regex *re, enum op op, int x, int y)
{
	if (re->n == re->cap) {
		re->cap = re->cap == 0 ? 32 : re->cap * 2;
		re->prog = xreallocarray(re->prog, re->cap, sizeof(*re->prog));
	}
	re->prog[re->n] = (struct inst){op, x, y, -1};
	return re->n++;
}

static int
new_set(struct pm_regex *re)
{
	if (re->nsets == re->capsets) {
		re->capsets = re->capsets == 0 ? 8 : re->capsets * 2;
		re->sets =
		    xreallocarray(re->sets, re->capsets, sizeof(*re->sets));
	}
	memset(re->sets[re->nsets], 0, 32);
	return re->nsets++;
}

static void
set_add(unsigned char *s, int c, bool icase)
{
	s[c >> 3] |= 1u << (c & 7);
	if (icase) {
		if (c >= 'a' && c <= 'z')
			c -= 32;
		else if (c >= 'A' && c <= 'Z')
			c += 32;
		else
			return;
		s[c >> 3] |= 1u << (c & 7);
	}
}

static bool
set_has(const unsigned char *s, int c)
{
	return (s[c >> 3] >> (c & 7)) & 1;
}

static bool
is_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* A fragment of program: instructions [start, end) with a single exit
   that later code is appended after (we build linearly and patch). */

static int emit_set_char(struct pm_regex *re, int c);
static void parse_alt(struct pm_regex *re);

/* Copies instructions [from, re->n) to the end, relocating jumps. */
static int
dup_range(struct pm_regex *re, int from, int to)
{
	int base = re->n, delta = base - from;

	for (int i = from; i < to; i++) {
		struct inst in = re->prog[i];
		int k = emit(re, in.op, in.x, in.y);

		re->prog[k].set = in.set;
		if (in.op == OP_SPLIT || in.op == OP_JMP) {
			if (in.x >= from && in.x <= to)
				re->prog[k].x += delta;
			if (in.op == OP_SPLIT && in.y >= from && in.y <= to)
				re->prog[k].y += delta;
		}
	}
	return base;
}

static int
emit_set_char(struct pm_regex *re, int c)
{
	int s = new_set(re), k = emit(re, OP_SET, 0, 0);

	set_add(re->sets[s], c, re->icase);
	re->prog[k].set = s;
	return k;
}

/* ^ or $: a newline, or the area's edge. */
static void
emit_edge_or_newline(struct pm_regex *re, enum op edge)
{
	int sp = emit(re, OP_SPLIT, 0, 0);
	int e = emit(re, edge, 0, 0);
	int j = emit(re, OP_JMP, 0, 0);
	int c = emit_set_char(re, '\n');

	re->prog[sp].x = e;
	re->prog[sp].y = c;
	re->prog[j].x = re->n;
}

/* \< \>: a non-word character (newline included) or the area's edge. */
static void
emit_word_edge(struct pm_regex *re)
{
	int sp = emit(re, OP_SPLIT, 0, 0);
	int sp2 = emit(re, OP_SPLIT, 0, 0);
	int e1 = emit(re, OP_START, 0, 0);
	int j1 = emit(re, OP_JMP, 0, 0);
	int e2 = emit(re, OP_END, 0, 0);
	int j2 = emit(re, OP_JMP, 0, 0);
	int s = new_set(re), k = emit(re, OP_SET, 0, 0);

	for (int c = 0; c < 256; c++)
		if (!is_word(c))
			set_add(re->sets[s], c, false);
	re->prog[k].set = s;
	re->prog[sp].x = sp2;
	re->prog[sp].y = k;
	re->prog[sp2].x = e1;
	re->prog[sp2].y = e2;
	re->prog[j1].x = re->n;
	re->prog[j2].x = re->n;
}

static void
parse_class(struct pm_regex *re)
{
	int s = new_set(re), k;
	bool neg = false, first = true;
	unsigned char tmp[32];
	int prev = -1;

	memset(tmp, 0, sizeof(tmp));
	if (re->p < re->end && *re->p == '^') {
		neg = true;
		re->p++;
	}
	for (;;) {
		int c;

		if (re->p >= re->end) {
			re->error = "missing ]";
			return;
		}
		c = *re->p++;
		if (c == ']' && !first)
			break;
		first = false;
		if (c == '\\' && re->p < re->end)
			c = *re->p++;
		else if (c == '-' && prev >= 0 && re->p < re->end &&
			 *re->p != ']') {
			int hi = *re->p++;

			if (hi == '\\' && re->p < re->end)
				hi = *re->p++;
			for (int x = prev; x <= hi; x++)
				set_add(tmp, x, re->icase);
			prev = -1;
			continue;
		}
		set_add(tmp, c, re->icase);
		prev = c;
	}
	if (neg) {
		for (int i = 0; i < 32; i++)
			tmp[i] = (unsigned char)~tmp[i];
		tmp['\n' >> 3] &= (unsigned char)~(1u << ('\n' & 7));
	}
	memcpy(re->sets[s], tmp, 32);
	k = emit(re, OP_SET, 0, 0);
	re->prog[k].set = s;
}

/* One atom; returns false at the end of a concatenation. */
static bool
parse_atom(struct pm_regex *re)
{
	int c;

	if (re->p >= re->end || *re->p == '|' || *re->p == ')')
		return false;
	c = *re->p++;
	switch (c) {
	case '(':
		if (++re->depth > 200) {
			re->error = "nested too deeply";
			return false;
		}
		parse_alt(re);
		re->depth--;
		if (re->p >= re->end || *re->p != ')') {
			if (re->error == NULL)
				re->error = "missing )";
			return false;
		}
		re->p++;
		break;
	case '[':
		parse_class(re);
		break;
	case '.': {
		int s = new_set(re), k;

		memset(re->sets[s], 0xff, 32);
		re->sets[s]['\n' >> 3] &= (unsigned char)~(1u << ('\n' & 7));
		k = emit(re, OP_SET, 0, 0);
		re->prog[k].set = s;
		break;
	}
	case '^':
		if (re->p < re->end && *re->p == '^') {
			re->p++;
			emit(re, re->n == 0 ? OP_START : OP_END, 0, 0);
		} else
			emit_edge_or_newline(re, OP_START);
		break;
	case '$':
		emit_set_char(re, '\n');
		break;
	case '\\':
		if (re->p >= re->end) {
			emit_set_char(re, '\\');
			break;
		}
		c = *re->p++;
		if (c == '/') {
			if (re->has_cut) {
				/* only the first \/ splits */
				emit_set_char(re, '/');
				break;
			}
			re->has_cut = true;
			emit(re, OP_CUT, 0, 0);
		} else if (c == '<' || c == '>')
			emit_word_edge(re);
		else
			emit_set_char(re, c);
		break;
	default:
		emit_set_char(re, c);
		break;
	}
	return true;
}

static void
parse_concat(struct pm_regex *re)
{
	for (;;) {
		int start = re->n;

		if (!parse_atom(re) || re->error != NULL)
			return;
		while (re->p < re->end &&
		       (*re->p == '*' || *re->p == '+' || *re->p == '?')) {
			int q = *re->p++, end = re->n, k;

			if (q == '+') {
				/* x+ = x x*: duplicate x, then star it */
				start = dup_range(re, start, end);
				end = re->n;
				q = '*';
			}
			/* insert a SPLIT before [start, end) */
			emit(re, OP_JMP, 0, 0);
			memmove(&re->prog[start + 1], &re->prog[start],
				(size_t)(re->n - 1 - start) *
				    sizeof(*re->prog));
			for (int i = start + 1; i < re->n; i++) {
				struct inst *in = &re->prog[i];

				if (in->op == OP_SPLIT || in->op == OP_JMP) {
					if (in->x >= start)
						in->x++;
					if (in->op == OP_SPLIT &&
					    in->y >= start)
						in->y++;
				}
			}
			end++;
			re->prog[start] =
			    (struct inst){OP_SPLIT, start + 1, 0, -1};
			if (q == '?') {
				re->prog[start].y = re->n;
			} else {
				k = emit(re, OP_JMP, start, 0);
				(void)k;
				re->prog[start].y = re->n;
			}
		}
	}
}

static void
parse_alt(struct pm_regex *re)
{
	int start = re->n;

	parse_concat(re);
	while (re->error == NULL && re->p < re->end && *re->p == '|') {
		int j, sp;

		re->p++;
		/* start: SPLIT start+1, next ; [left] JMP end ; next: right */
		emit(re, OP_JMP, 0, 0);
		memmove(&re->prog[start + 1], &re->prog[start],
			(size_t)(re->n - 1 - start) * sizeof(*re->prog));
		for (int i = start + 1; i < re->n; i++) {
			struct inst *in = &re->prog[i];

			if (in->op == OP_SPLIT || in->op == OP_JMP) {
				if (in->x >= start)
					in->x++;
				if (in->op == OP_SPLIT && in->y >= start)
					in->y++;
			}
		}
		sp = start;
		re->prog[sp] = (struct inst){OP_SPLIT, start + 1, 0, -1};
		j = emit(re, OP_JMP, 0, 0);
		re->prog[sp].y = re->n;
		parse_concat(re);
		re->prog[j].x = re->n;
	}
}

struct pm_regex *
pm_regex_compile(const char *pattern, size_t len, bool case_sensitive,
		 const char **error_r)
{
	struct pm_regex *re = xcalloc(1, sizeof(*re));

	re->p = (const unsigned char *)pattern;
	re->end = re->p + len;
	re->icase = !case_sensitive;
	parse_alt(re);
	if (re->error == NULL && re->p < re->end)
		re->error = "unmatched )";
	if (re->error != NULL) {
		*error_r = re->error;
		pm_regex_free(&re);
		return NULL;
	}
	emit(re, OP_MATCH, 0, 0);
	return re;
}

void
pm_regex_free(struct pm_regex **rep)
{
	struct pm_regex *re = *rep;

	if (re == NULL)
		return;
	free(re->prog);
	free(re->sets);
	free(re);
	*rep = NULL;
}

bool
pm_regex_has_cut(const struct pm_regex *re)
{
	return re->has_cut;
}

/* ---- the VM ---- */

struct thread {
	int pc;
	long cut; /* position where \/ was crossed, or -1 */
	int cutpc;
};

struct tlist {
	struct thread *t;
	int n;
};

struct vm {
	const struct pm_regex *re;
	const unsigned char *s;
	size_t len;
	int *mark;   /* generation per pc */
	int *slot;   /* SET/MATCH: index in the list being built */
	long *cutat; /* the cut a pc was reached with */
	int gen;
	struct thread *stack;
	int stackcap;
};

/* Adds the epsilon closure of pc at position pos. */
static void
addthread(struct vm *vm, struct tlist *l, int pc0, long cut0, int cutpc0,
	  size_t pos)
{
	int sp = 0;

	vm->stack[sp++] = (struct thread){pc0, cut0, cutpc0};
	while (sp > 0) {
		struct thread t = vm->stack[--sp];
		const struct inst *in;

		if (vm->mark[t.pc] == vm->gen) {
			/* merged: the thread that crossed \/ earliest wins;
			   re-walk from here with the earlier cut */
			if (t.cut < 0 ||
			    (vm->cutat[t.pc] >= 0 && vm->cutat[t.pc] <= t.cut))
				continue;
			vm->cutat[t.pc] = t.cut;
			in = &vm->re->prog[t.pc];
			if (in->op == OP_SET || in->op == OP_MATCH) {
				struct thread *o = &l->t[vm->slot[t.pc]];

				o->cut = t.cut;
				o->cutpc = t.cutpc;
				continue;
			}
		} else {
			vm->mark[t.pc] = vm->gen;
			vm->cutat[t.pc] = t.cut;
		}
		in = &vm->re->prog[t.pc];
		switch (in->op) {
		case OP_JMP:
			vm->stack[sp++] =
			    (struct thread){in->x, t.cut, t.cutpc};
			break;
		case OP_SPLIT:
			/* push y first so x is explored first */
			vm->stack[sp++] =
			    (struct thread){in->y, t.cut, t.cutpc};
			vm->stack[sp++] =
			    (struct thread){in->x, t.cut, t.cutpc};
			break;
		case OP_START:
			if (pos == 0)
				vm->stack[sp++] =
				    (struct thread){t.pc + 1, t.cut, t.cutpc};
			break;
		case OP_END:
			if (pos == vm->len - 1)
				vm->stack[sp++] =
				    (struct thread){t.pc + 1, t.cut, t.cutpc};
			break;
		case OP_CUT:
			vm->stack[sp++] = (struct thread){
			    t.pc + 1, t.cut >= 0 ? t.cut : (long)pos,
			    t.cut >= 0 ? t.cutpc : t.pc + 1};
			break;
		case OP_SET:
		case OP_MATCH:
			vm->slot[t.pc] = l->n;
			l->t[l->n++] = t;
			break;
		}
	}
}

static void
vm_init(struct vm *vm, const struct pm_regex *re, const char *s, size_t len)
{
	unsigned char *buf = xmalloc(len + 1);

	/* procmail's search area is followed by one virtual newline */
	memcpy(buf, s, len);
	buf[len] = '\n';
	vm->re = re;
	vm->s = buf;
	vm->len = len + 1;
	vm->mark = xcalloc((size_t)re->n, sizeof(int));
	vm->slot = xcalloc((size_t)re->n, sizeof(int));
	vm->cutat = xcalloc((size_t)re->n, sizeof(long));
	vm->gen = 0;
	vm->stackcap = re->n * 4 + 8;
	vm->stack = xcalloc((size_t)vm->stackcap, sizeof(*vm->stack));
}

static void
vm_deinit(struct vm *vm)
{
	free(vm->mark);
	free(vm->slot);
	free(vm->cutat);
	free(vm->stack);
	free((void *)vm->s);
}

/* Earliest-ending match from position from. Returns 1 and the end and
   the winning thread's cut, 0 when none. */
static int
vm_shortest(struct vm *vm, size_t from, size_t *end_r, long *cut_r,
	    int *cutpc_r)
{
	const struct pm_regex *re = vm->re;
	struct tlist cur, next;
	int found = 0;
	bool anchored = re->prog[0].op == OP_START;

	cur.t = xcalloc((size_t)re->n, sizeof(struct thread));
	next.t = xcalloc((size_t)re->n, sizeof(struct thread));
	cur.n = 0;
	vm->gen++;
	for (size_t pos = from;; pos++) {
		/* a new thread starting here, lowest priority */
		if (!anchored || pos == 0)
			addthread(vm, &cur, 0, -1, -1, pos);
		for (int i = 0; i < cur.n; i++)
			if (re->prog[cur.t[i].pc].op == OP_MATCH &&
			    (!found ||
			     (cur.t[i].cut >= 0 &&
			      (*cut_r < 0 || cur.t[i].cut < *cut_r)))) {
				/* the earliest \/ wins among equals */
				*end_r = pos;
				*cut_r = cur.t[i].cut;
				*cutpc_r = cur.t[i].cutpc;
				found = 1;
			}
		if (found)
			goto out;
		if (pos >= vm->len || (cur.n == 0 && anchored))
			break;
		next.n = 0;
		vm->gen++;
		for (int i = 0; i < cur.n; i++) {
			const struct inst *in = &re->prog[cur.t[i].pc];

			if (in->op == OP_SET &&
			    set_has(re->sets[in->set], vm->s[pos]))
				addthread(vm, &next, cur.t[i].pc + 1,
					  cur.t[i].cut, cur.t[i].cutpc,
					  pos + 1);
		}
		struct tlist tmp = cur;
		cur = next;
		next = tmp;
	}
out:
	free(cur.t);
	free(next.t);
	return found;
}

/* Longest anchored match of the program from pc at pos. Returns the
   end. */
static size_t
vm_longest(struct vm *vm, int pc, size_t pos)
{
	const struct pm_regex *re = vm->re;
	struct tlist cur, next;
	size_t best = pos;

	cur.t = xcalloc((size_t)re->n, sizeof(struct thread));
	next.t = xcalloc((size_t)re->n, sizeof(struct thread));
	cur.n = 0;
	vm->gen++;
	addthread(vm, &cur, pc, -1, -1, pos);
	for (;; pos++) {
		for (int i = 0; i < cur.n; i++)
			if (re->prog[cur.t[i].pc].op == OP_MATCH)
				best = pos;
		if (pos >= vm->len || cur.n == 0)
			break;
		next.n = 0;
		vm->gen++;
		for (int i = 0; i < cur.n; i++) {
			const struct inst *in = &re->prog[cur.t[i].pc];

			if (in->op == OP_SET &&
			    set_has(re->sets[in->set], vm->s[pos]))
				addthread(vm, &next, cur.t[i].pc + 1, -1, -1,
					  pos + 1);
		}
		struct tlist tmp = cur;
		cur = next;
		next = tmp;
	}
	free(cur.t);
	free(next.t);
	return best;
}

int
pm_regex_search(const struct pm_regex *re, const char *text, size_t len,
		size_t from, struct pm_match *m)
{
	struct vm vm;
	size_t end = 0;
	long cut = -1;
	int cutpc = 0, r;

	vm_init(&vm, re, text, len);
	r = vm_shortest(&vm, from, &end, &cut, &cutpc);
	if (m != NULL) {
		m->end = end;
		m->has_match = false;
		if (r > 0 && cut >= 0) {
			m->has_match = true;
			m->match_start = (size_t)cut;
			m->match_end = vm_longest(&vm, cutpc, (size_t)cut);
			if (m->match_end > len)
				m->match_end = len;
			if (m->match_start > len)
				m->match_start = len;
		}
		if (m->end > len)
			m->end = len;
	}
	vm_deinit(&vm);
	return r;
}

long
pm_regex_count(const struct pm_regex *re, const char *text, size_t len,
	       long limit)
{
	struct vm vm;
	size_t from = 0, end;
	long n = 0, cut;
	int cutpc;

	vm_init(&vm, re, text, len);
	while (n < limit && from < vm.len &&
	       vm_shortest(&vm, from, &end, &cut, &cutpc) > 0) {
		n++;
		/* the next search starts after the match, or on its last
		   character when that was a newline (so ^ can use it) */
		if (end > len)
			break; /* it used the virtual newline: the end */
		if (end > from && vm.s[end - 1] == '\n')
			end--;
		if (end <= from) {
			n = -1; /* matches forever: procmail's score runs off */
			break;
		}
		from = end;
	}
	vm_deinit(&vm);
	return n;
}
