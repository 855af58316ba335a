package mockprovider

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRememberForgetsTheOldest(t *testing.T) {
	m := map[string]int{}
	var order insertionOrder
	evicted := 0
	for i := range 10 {
		evicted += remember(m, &order, fmt.Sprint(i), i, 3)
	}
	assert.Equal(t, 7, evicted)
	assert.Equal(t, map[string]int{"7": 7, "8": 8, "9": 9}, m)

	// Keys deleted elsewhere do not count, and the queue stays bounded.
	for i := 10; i < 1000; i++ {
		remember(m, &order, fmt.Sprint(i), i, 3)
		delete(m, fmt.Sprint(i-1))
	}
	assert.LessOrEqual(t, len(order.keys), 2*3+1)
	assert.Equal(t, map[string]int{"8": 8, "999": 999}, m, "7 was forgotten for 10; each later one was deleted")

	// Replacing a value keeps its place.
	remember(m, &order, "999", -1, 3)
	assert.Equal(t, map[string]int{"8": 8, "999": -1}, m)
}

func TestWithLimitsKeepsDefaultsForZeroFields(t *testing.T) {
	var c config
	WithLimits(Limits{Tokens: 5})(&c)
	want := DefaultLimits()
	want.Tokens = 5
	assert.Equal(t, want, c.limits)
}
