package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"gitlab.xdataproxy.com/aweng/dsra-oauth2-server/scenarios/outcome"
)

// JSONOptions changes what [WriteJSONWith] writes.
type JSONOptions struct {
	// OmitScreenshots leaves the screenshots out (each page keeps its
	// screenshot_type, so a reader still sees that one was taken); with
	// them, each is base64 in the page's "screenshot" field.
	OmitScreenshots bool
}

// WriteJSON writes run as indented JSON, screenshots included:
//
//	{"target": "mock", "mode": "...", "command": "...", "started": "2025-...Z", "wall_ms": 11200,
//	 "summary": {"total": 55, "passed": 52, "failed": 0, "warned": 1, "skipped": 2,
//	             "xfailed": 0, "xpassed": 0, "must_failed": false},
//	 "results": [{"id": ..., "level": ..., "rfc": ..., "description": ..., "verdict": ...,
//	              "reason": ..., "expected": ..., "notes": [...], "duration_ns": ..., "duration_ms": ...,
//	              "evidence": {"exchanges": [...], "pages": [...]}}, ...]}
//
// A result's fields are those of [outcome.Result] plus duration_ms.
func WriteJSON(w io.Writer, run Run) error {
	return WriteJSONWith(w, run, JSONOptions{})
}

// WriteJSONWith is [WriteJSON] with options.
func WriteJSONWith(w io.Writer, run Run, opts JSONOptions) error {
	s := outcome.Summarize(run.Results, run.Wall)
	doc := jsonReport{
		Target:  run.Target,
		Mode:    run.Mode,
		Command: run.Command,
		Started: run.Started,
		WallMS:  millis(run.Wall),
		Shard:   run.Shard,
		Summary: jsonSummary{
			Total:      len(run.Results),
			Passed:     s.Pass,
			Failed:     s.Fail,
			Warned:     s.Warn,
			Skipped:    s.Skip,
			XFailed:    s.XFail,
			XPassed:    s.XPass,
			MustFailed: s.MustFailed,
		},
		Results: make([]jsonResult, 0, len(run.Results)),
	}
	for _, r := range run.Results {
		if opts.OmitScreenshots {
			r.Evidence.Pages = withoutScreenshots(r.Evidence.Pages)
		}
		doc.Results = append(doc.Results, jsonResult{Result: r, DurationMS: millis(r.Duration)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("report: json: %w", err)
	}
	return nil
}

type jsonReport struct {
	Target  string       `json:"target"`
	Mode    string       `json:"mode"`
	Command string       `json:"command,omitempty"`
	Started time.Time    `json:"started"`
	WallMS  int64        `json:"wall_ms"`
	Shard   *Shard       `json:"shard,omitempty"`
	Summary jsonSummary  `json:"summary"`
	Results []jsonResult `json:"results"`
}

type jsonSummary struct {
	Total      int  `json:"total"`
	Passed     int  `json:"passed"`
	Failed     int  `json:"failed"`
	Warned     int  `json:"warned"`
	Skipped    int  `json:"skipped"`
	XFailed    int  `json:"xfailed"`
	XPassed    int  `json:"xpassed"`
	MustFailed bool `json:"must_failed"`
}

// jsonResult is a result as its own JSON tags write it, plus duration_ms.
type jsonResult struct {
	outcome.Result
	DurationMS int64 `json:"duration_ms"`
}

// withoutScreenshots copies pages without their images; the caller's
// slice is left alone.
func withoutScreenshots(pages []outcome.Page) []outcome.Page {
	if pages == nil {
		return nil
	}
	out := make([]outcome.Page, len(pages))
	for i, p := range pages {
		p.Screenshot = nil
		out[i] = p
	}
	return out
}
