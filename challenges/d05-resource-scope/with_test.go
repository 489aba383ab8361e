package scope

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWith(t *testing.T) {
	bodyErr, relErr, openErr := errors.New("body failed"), errors.New("release failed"), errors.New("open failed")
	tests := []struct {
		name     string
		openErr  error
		bodyErr  error
		relErr   error
		want     []error
		wantRuns []string
	}{
		{"all good", nil, nil, nil, nil, []string{"open f", "body f", "release f"}},
		{"body fails", nil, bodyErr, nil, []error{bodyErr}, []string{"open f", "body f", "release f"}},
		{"release fails", nil, nil, relErr, []error{relErr}, []string{"open f", "body f", "release f"}},
		{"both fail", nil, bodyErr, relErr, []error{bodyErr, relErr}, []string{"open f", "body f", "release f"}},
		{"open fails", openErr, nil, nil, []error{openErr}, []string{"open f"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			err := With(t.Context(),
				func(context.Context) (string, error) {
					rec.add("open f")
					if tt.openErr != nil {
						return "", tt.openErr
					}
					return "f", nil
				},
				func(_ context.Context, v string) error { rec.add("release " + v); return tt.relErr },
				func(_ context.Context, v string) error { rec.add("body " + v); return tt.bodyErr },
			)
			if tt.want == nil && err != nil {
				t.Errorf("With: got %v, want nil", err)
			}
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("With: got %v, want an error wrapping %v", err, w)
				}
			}
			if d := cmp.Diff(tt.wantRuns, rec.take()); d != "" {
				t.Errorf("what ran (-want +got):\n%s", d)
			}
		})
	}

	t.Run("release outlives a cancelled ctx", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.WithValue(t.Context(), ctxKey{}, "job-9"))
		var relCtxErr error
		var relValue any
		err := With(ctx,
			func(context.Context) (int, error) { return 1, nil },
			func(ctx context.Context, _ int) error {
				relCtxErr, relValue = ctx.Err(), ctx.Value(ctxKey{})
				return nil
			},
			func(ctx context.Context, _ int) error {
				cancel() // the job is cancelled while the body runs
				return ctx.Err()
			},
		)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("With: got %v, want the body's context.Canceled", err)
		}
		if relCtxErr != nil || relValue != "job-9" {
			t.Errorf("release got ctx err %v and value %v, want a live ctx with value %q", relCtxErr, relValue, "job-9")
		}
	})
}

func TestWithPanic(t *testing.T) {
	for _, value := range []any{"kaboom", errors.New("kaboom error")} {
		var rec recorder
		func() {
			defer func() {
				if r := recover(); r != value {
					t.Errorf("With: got panic %v, want the body's own panic value %v", r, value)
				}
			}()
			With(t.Context(), rec.open("f"), rec.release(errors.New("release failed too")),
				func(context.Context, string) error { panic(value) })
			t.Errorf("With returned normally, want the body's panic to continue")
		}()
		if d := cmp.Diff([]string{"open f", "release f"}, rec.take()); d != "" {
			t.Errorf("with a panicking body (-want +got):\n%s", d)
		}
	}
}
