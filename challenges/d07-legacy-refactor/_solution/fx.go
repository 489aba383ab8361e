package billing

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// NewHTTPFX returns the exchange-rate service client:
//
//	GET {baseURL}/rate?from=USD&to=EUR  ->  200 {"num": 92, "den": 100}
//
// A nil c gets a client of its own (never http.DefaultClient, which anyone
// in the process can reconfigure).
func NewHTTPFX(c *http.Client, baseURL string) FXRates {
	if c == nil {
		c = &http.Client{}
	}
	return &httpFX{c: c, base: strings.TrimSuffix(baseURL, "/")}
}

type httpFX struct {
	c    *http.Client
	base string
}

func (f *httpFX) Rate(ctx context.Context, from, to string) (num, den int64, err error) {
	q := url.Values{"from": {from}, "to": {to}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.base+"/rate?"+q.Encode(), nil)
	if err != nil {
		return 0, 0, &FXError{Err: err}
	}
	resp, err := f.c.Do(req)
	if err != nil {
		return 0, 0, &FXError{Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, 0, &FXError{Status: resp.StatusCode}
	}
	var body struct{ Num, Den int64 }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, 0, &FXError{Status: resp.StatusCode, Err: err}
	}
	if body.Num <= 0 || body.Den <= 0 {
		return 0, 0, &FXError{Status: resp.StatusCode, Err: errors.New("bad rate")}
	}
	return body.Num, body.Den, nil
}
