package billing

import (
	"context"
	"net/http"
)

// NewHTTPFX returns the exchange-rate service client:
//
//	GET {baseURL}/rate?from=USD&to=EUR  ->  200 {"num": 92, "den": 100}
//
// Failures are *FXError. A nil c gets a client of its own.
func NewHTTPFX(c *http.Client, baseURL string) FXRates {
	// TODO(d07): legacy/fx.go, with the client and the ctx passed in.
	return &httpFX{}
}

type httpFX struct{}

func (f *httpFX) Rate(ctx context.Context, from, to string) (num, den int64, err error) {
	return 0, 0, ErrNotImplemented
}
