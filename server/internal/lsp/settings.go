package lsp

import (
	"encoding/json"
	"time"
)

// settings are the editor's choices, sent as initializationOptions (the
// VS Code extension restarts the server when they change).
type settings struct {
	noRace  bool          // race detector off on save: nothing becomes done
	timeout time.Duration // > 0: replaces each challenge's per-run timeout
}

// initOptions is the JSON of initializationOptions; absent fields keep
// the defaults.
type initOptions struct {
	RaceOnSave     *bool `json:"raceOnSave"`
	DebounceMs     *int  `json:"debounceMs"`
	TimeoutSeconds *int  `json:"timeoutSeconds"`
}

// applySettings reads initializationOptions. Values out of range are
// logged and ignored, so a bad setting never stops the server.
func (s *Server) applySettings(raw []byte) {
	if len(raw) == 0 || string(raw) == "null" {
		return
	}
	var o initOptions
	if err := json.Unmarshal(raw, &o); err != nil {
		s.log.Printf("initializationOptions ignored: %v", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.RaceOnSave != nil {
		s.settings.noRace = !*o.RaceOnSave
	}
	if d := o.DebounceMs; d != nil {
		if *d >= 0 && *d <= 10_000 {
			s.opts.Debounce = time.Duration(*d) * time.Millisecond
		} else {
			s.log.Printf("debounceMs %d ignored: want 0 to 10000", *d)
		}
	}
	if t := o.TimeoutSeconds; t != nil {
		if *t >= 0 && *t <= 3600 {
			s.settings.timeout = time.Duration(*t) * time.Second
		} else {
			s.log.Printf("timeoutSeconds %d ignored: want 0 (the challenge's own) to 3600", *t)
		}
	}
}
