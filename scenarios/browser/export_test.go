package browser

import "github.com/go-rod/rod/lib/proto"

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
