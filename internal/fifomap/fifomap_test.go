package fifomap_test

import (
	"fmt"
	"maps"
	"testing"

	"github.com/stretchr/testify/assert"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/internal/fifomap"
)

func TestPutForgetsTheOldest(t *testing.T) {
	m := fifomap.New[int](3)
	evicted := 0
	for i := range 10 {
		evicted += m.Put(fmt.Sprint(i), i)
	}
	assert.Equal(t, 7, evicted)
	assert.Equal(t, map[string]int{"7": 7, "8": 8, "9": 9}, maps.Collect(m.All()))
	_, ok := m.Get("6")
	assert.False(t, ok)
	v, ok := m.Get("9")
	assert.True(t, ok)
	assert.Equal(t, 9, v)
}

func TestDeletedKeysDoNotCountOrPileUp(t *testing.T) {
	m := fifomap.New[int](3)
	for i := range 10_000 {
		m.Put(fmt.Sprint(i), i)
		if i%2 == 1 {
			m.Delete(fmt.Sprint(i))
		}
	}
	// The last Put forgot 9994 to make room for 9999, deleted right after.
	assert.Equal(t, 2, m.Len())
	var keys []string
	for k := range m.All() {
		keys = append(keys, k)
	}
	assert.Equal(t, []string{"9996", "9998"}, keys, "oldest first")
}

func TestReplacingKeepsThePlace(t *testing.T) {
	m := fifomap.New[string](2)
	m.Put("a", "1")
	m.Put("b", "2")
	assert.Zero(t, m.Put("a", "3"), "a replacement forgets nothing")
	m.Put("c", "4")
	assert.Equal(t, map[string]string{"b": "2", "c": "4"}, maps.Collect(m.All()), "a was still the oldest")
}

func TestDeleteFunc(t *testing.T) {
	m := fifomap.New[int](10)
	for i := range 10 {
		m.Put(fmt.Sprint(i), i)
	}
	assert.Equal(t, 5, m.DeleteFunc(func(_ string, v int) bool { return v%2 == 0 }))
	assert.Equal(t, 5, m.Len())
	for i := 10; i < 15; i++ {
		m.Put(fmt.Sprint(i), i)
	}
	assert.Equal(t, 10, m.Len(), "the deleted ones freed room")
	assert.Equal(t, 1, fifomap.New[int](0).Limit(), "the limit is at least 1")
}

func ExampleMap() {
	sessions := fifomap.New[string](2)
	sessions.Put("s1", "alice")
	sessions.Put("s2", "bob")
	sessions.Put("s3", "carol") // forgets s1
	for id, user := range sessions.All() {
		fmt.Println(id, user)
	}
	// Output:
	// s2 bob
	// s3 carol
}
