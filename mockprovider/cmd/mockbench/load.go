package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// load sends n requests, concurrency at a time, and counts the statuses.
type load struct {
	client      *http.Client
	n           int
	concurrency int
	request     func(context.Context) (*http.Request, error)
}

// loadStats are the outcome of a load.
type loadStats struct {
	byStatus map[int]int
	errors   int
	elapsed  time.Duration
}

func (l load) run(ctx context.Context) loadStats {
	jobs := make(chan struct{})
	var mu sync.Mutex
	stats := loadStats{byStatus: map[int]int{}}
	var wg sync.WaitGroup
	start := time.Now()
	for range l.concurrency {
		wg.Go(func() {
			for range jobs {
				status := l.once(ctx)
				mu.Lock()
				if status == 0 {
					stats.errors++
				} else {
					stats.byStatus[status]++
				}
				mu.Unlock()
			}
		})
	}
	for range l.n {
		if ctx.Err() != nil {
			break
		}
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	stats.elapsed = time.Since(start)
	return stats
}

// once sends one request and returns its status, 0 when it failed.
func (l load) once(ctx context.Context) int {
	req, err := l.request(ctx)
	if err != nil {
		return 0
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// add sums other into s.
func (s *loadStats) add(other loadStats) {
	for code, n := range other.byStatus {
		s.byStatus[code] += n
	}
	s.errors += other.errors
	s.elapsed += other.elapsed
}

func (s loadStats) statuses() string {
	var parts []string
	for _, code := range slices.Sorted(maps.Keys(s.byStatus)) {
		parts = append(parts, fmt.Sprintf("%d×%d", s.byStatus[code], code))
	}
	if s.errors > 0 {
		parts = append(parts, fmt.Sprintf("%d transport errors", s.errors))
	}
	return "responses " + strings.Join(parts, ", ")
}

func (s loadStats) serverErrors() int {
	n := s.errors
	for code, count := range s.byStatus {
		if code >= 500 {
			n += count
		}
	}
	return n
}

func (s loadStats) perSecond() float64 {
	total := s.errors
	for _, n := range s.byStatus {
		total += n
	}
	return float64(total) / s.elapsed.Seconds()
}

func newClient(concurrency int) *http.Client {
	return &http.Client{
		Timeout:       30 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: concurrency, MaxIdleConns: 2 * concurrency},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
