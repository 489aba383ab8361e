package a

import (
	"context"
	"testing"
)

func helper(t *testing.T, ctx context.Context) { // *testing.T first is the helper convention
	t.Helper()
	_ = work(ctx)
}

func TestTable(t *testing.T) {
	type tcase struct {
		name string
		ctx  context.Context // table-driven test cases
	}
	for _, tc := range []tcase{{"bg", context.Background()}} {
		helper(t, tc.ctx)
	}
}

func runWith(t *testing.T, ctx context.Context) {
	_ = work(context.TODO()) // want `context.TODO\(\) discards the caller's ctx`
}
