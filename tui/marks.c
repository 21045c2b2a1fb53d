/* marks.c: a sorted set of (alert id, version). */
#include <stdlib.h>
#include <string.h>

#include "marks.h"
#include "strbuf.h"

void
marks_init(struct marks *m)
{
	memset(m, 0, sizeof *m);
}

void
marks_free(struct marks *m)
{
	free(m->v);
	marks_init(m);
}

/* The index of id, or where it would go; *found says which. */
static size_t
marks_search(const struct marks *m, long long id, bool *found)
{
	size_t lo = 0, hi = m->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < m->n && m->v[lo].id == id;
	return lo;
}

bool
marks_add(struct marks *m, long long id, int version)
{
	bool found;
	size_t pos = marks_search(m, id, &found);

	if (found) {
		m->v[pos].version = version;
		return false;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = xrealloc(m->v, m->cap * sizeof *m->v);
	}
	memmove(m->v + pos + 1, m->v + pos, (m->n - pos) * sizeof *m->v);
	m->v[pos].id = id;
	m->v[pos].version = version;
	m->n++;
	return true;
}

static int
mark_cmp(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

size_t
marks_add_many(struct marks *m, const struct mark *add, size_t n)
{
	struct mark *batch, *out;
	size_t i, j, k, cap, nb = 0, added = 0;

	if (n == 0)
		return 0;
	batch = xmalloc(n * sizeof *batch);
	memcpy(batch, add, n * sizeof *batch);
	qsort(batch, n, sizeof *batch, mark_cmp);
	/* Duplicates inside the batch: keep one. */
	for (i = 0; i < n; i++)
		if (nb == 0 || batch[nb - 1].id != batch[i].id)
			batch[nb++] = batch[i];
		else
			batch[nb - 1] = batch[i];
	cap = m->n + nb;
	out = xmalloc(cap * sizeof *out);
	for (i = j = k = 0; i < m->n || j < nb; ) {
		if (j == nb || (i < m->n && m->v[i].id < batch[j].id)) {
			out[k++] = m->v[i++];
		} else {
			if (i < m->n && m->v[i].id == batch[j].id)
				i++;	/* the batch's version wins */
			else
				added++;
			out[k++] = batch[j++];
		}
	}
	free(batch);
	free(m->v);
	m->v = out;
	m->n = k;
	/* What was allocated: k + nb would overstate it whenever ids were
	 * added, and marks_add would then write past the end. */
	m->cap = cap;
	return added;
}

bool
marks_remove(struct marks *m, long long id)
{
	bool found;
	size_t pos = marks_search(m, id, &found);

	if (!found)
		return false;
	memmove(m->v + pos, m->v + pos + 1, (m->n - pos - 1) * sizeof *m->v);
	m->n--;
	return true;
}

bool
marks_toggle(struct marks *m, long long id, int version)
{
	if (marks_remove(m, id))
		return false;
	marks_add(m, id, version);
	return true;
}

bool
marks_update(struct marks *m, long long id, int version)
{
	bool found;
	size_t pos = marks_search(m, id, &found);

	if (found)
		m->v[pos].version = version;
	return found;
}

bool
marks_has(const struct marks *m, long long id)
{
	bool found;

	marks_search(m, id, &found);
	return found;
}

void
marks_clear(struct marks *m)
{
	/* Keep the storage: marking again is common. */
	m->n = 0;
}

size_t
marks_count(const struct marks *m)
{
	return m->n;
}

const struct mark *
marks_at(const struct marks *m, size_t i)
{
	return i < m->n ? &m->v[i] : NULL;
}

void
marks_copy(const struct marks *m, long long *ids, int *versions)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		ids[i] = m->v[i].id;
		versions[i] = m->v[i].version;
	}
}
