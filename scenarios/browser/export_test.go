package browser

import (
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-rod/rod/lib/proto"
)

// ContextID is the incognito browser context the session uses.
func ContextID(s *Session) string { return string(s.ctxID) }

// Reused is the number of sessions that used the session's context before.
func Reused(s *Session) int {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	return s.t.uses
}

// PagesInContext counts the pages of the session's context.
func PagesInContext(s *Session) (int, error) {
	res, err := proto.TargetGetTargets{}.Call(s.b.rod.Context(s.ctx))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ti := range res.TargetInfos {
		if ti.BrowserContextID == s.ctxID && ti.Type == proto.TargetTargetInfoTypePage {
			n++
		}
	}
	return n, nil
}

// Contexts lists the browser's incognito contexts.
func Contexts(ctx context.Context, b *Browser) ([]string, error) {
	res, err := proto.TargetGetBrowserContexts{}.Call(b.rod.Context(ctx))
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, id := range res.BrowserContextIDs {
		ids = append(ids, string(id))
	}
	return ids, nil
}

// Settle waits until no context is being reset or prepared, and returns
// the numbers of prepared and reset contexts ready.
func Settle(b *Browser) (spares, idle int) {
	for {
		b.mu.Lock()
		busy, changed := b.recycling > 0 || b.refilling, b.poolChanged
		spares, idle = len(b.spares), len(b.idle)
		b.mu.Unlock()
		if !busy {
			return spares, idle
		}
		select {
		case <-changed:
		case <-time.After(10 * time.Second):
			panic("the pool did not settle")
		}
	}
}

// CPUTime is the CPU time used so far by Chromium's processes, the ones
// that ended included (their parents reaped them), and by this process.
func CPUTime(b *Browser) time.Duration {
	ticks := func(pid string, children bool) int64 {
		raw, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			return 0
		}
		s := string(raw)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // f[0] is field 3, the state
		n := 2
		if children {
			n = 4
		}
		var sum int64
		for _, v := range f[11 : 11+n] { // utime, stime, cutime, cstime
			x, _ := strconv.ParseInt(v, 10, 64)
			sum += x
		}
		return sum
	}
	total := ticks("self", false)
	for _, p := range append(descendants(b.PID()), b.PID()) {
		total += ticks(strconv.Itoa(p), true)
	}
	return time.Duration(total) * time.Second / 100 // USER_HZ
}
