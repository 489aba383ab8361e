package engine

import (
	"slices"
	"testing"

	"gochallenge.dev/gochallenge/server/internal/curriculum"
	"gochallenge.dev/gochallenge/server/internal/testresult"
)

func TestStrictRunFlags(t *testing.T) {
	passed := &testresult.Report{Passed: true}
	failed := &testresult.Report{Tests: []*testresult.Test{{Name: "TestX", Outcome: testresult.Fail}}}
	racy := &curriculum.Challenge{}
	racy.Test.Race = true
	racy.Test.DoneGate = curriculum.DoneGate{Count: 3, Shuffle: true}
	plain := &curriculum.Challenge{}
	for _, tc := range []struct {
		name  string
		ch    *curriculum.Challenge
		rep   *testresult.Report
		o     CheckOptions
		want  []string // nil: no second run
		stage Stage
	}{
		{"failing tests get a single race run", racy, failed, CheckOptions{}, []string{"-race", "-count=1"}, StageRace},
		{"passing tests: the race run is the done gate", racy, passed, CheckOptions{}, []string{"-race", "-shuffle=on", "-count=3"}, StageRace},
		{"race off in the editor", racy, failed, CheckOptions{NoRace: true}, nil, ""},
		{"a race check overrides the setting and repeats", racy, failed, CheckOptions{NoRace: true, RaceCheck: true}, []string{"-race", "-count=5"}, StageRace},
		{"a race check of a challenge without one", plain, passed, CheckOptions{RaceCheck: true}, []string{"-race", "-count=5"}, StageRace},
		{"a passing challenge without race or gate", plain, passed, CheckOptions{}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := strictRun(tc.ch, tc.rep, tc.o)
			if tc.want == nil {
				if ok {
					t.Fatalf("second run %v, want none", s.flags)
				}
				return
			}
			if !ok || s.stage != tc.stage || !slices.Equal(s.flags, tc.want) {
				t.Errorf("second run %v (%v, stage %q), want %v (stage %q)", s.flags, ok, s.stage, tc.want, tc.stage)
			}
		})
	}
}
