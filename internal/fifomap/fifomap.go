// Package fifomap is a map with a size limit that forgets its oldest
// entries: the bounded memory of a server's sessions, codes and tokens,
// which a flood of requests must not grow and must not lock out either.
//
//	m := fifomap.New[*session](10_000)
//	m.Put(id, s) // forgets the oldest session when 10,000 are kept
//
// A Map is not safe for concurrent use: its owner locks around it.
package fifomap

import "iter"

// Map is a map from string keys that keeps at most its limit of entries.
type Map[V any] struct {
	limit int
	m     map[string]V
	// order holds the keys in the order they were added; keys deleted
	// since are skipped when met, and dropped when they pile up.
	order []string
}

// New returns an empty map that keeps at most limit entries (at least 1).
func New[V any](limit int) *Map[V] {
	return &Map[V]{limit: max(limit, 1), m: map[string]V{}}
}

// Len returns the number of entries.
func (m *Map[V]) Len() int { return len(m.m) }

// Limit returns the most entries the map keeps.
func (m *Map[V]) Limit() int { return m.limit }

// Get returns the value stored under key.
func (m *Map[V]) Get(key string) (V, bool) {
	v, ok := m.m[key]
	return v, ok
}

// Put stores v under key and forgets the oldest entries beyond the limit;
// it returns how many it forgot. Replacing a value keeps its place.
func (m *Map[V]) Put(key string, v V) int {
	if _, ok := m.m[key]; !ok {
		m.order = append(m.order, key)
	}
	m.m[key] = v
	evicted := 0
	for len(m.m) > m.limit {
		oldest := m.order[0]
		m.order[0] = ""
		m.order = m.order[1:]
		if _, ok := m.m[oldest]; ok {
			delete(m.m, oldest)
			evicted++
		}
	}
	if len(m.order) > 2*m.limit {
		m.compact()
	}
	return evicted
}

// Delete removes key.
func (m *Map[V]) Delete(key string) { delete(m.m, key) }

// DeleteFunc removes the entries for which del returns true and returns
// how many it removed.
func (m *Map[V]) DeleteFunc(del func(key string, v V) bool) int {
	n := 0
	for k, v := range m.m {
		if del(k, v) {
			delete(m.m, k)
			n++
		}
	}
	if n > 0 {
		m.compact()
	}
	return n
}

// All yields the entries, oldest first.
func (m *Map[V]) All() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		for _, k := range m.order {
			if v, ok := m.m[k]; ok && !yield(k, v) {
				return
			}
		}
	}
}

// compact drops the keys deleted since they were added.
func (m *Map[V]) compact() {
	keep := make([]string, 0, len(m.m))
	for _, k := range m.order {
		if _, ok := m.m[k]; ok {
			keep = append(keep, k)
		}
	}
	m.order = keep
}
