package a

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Positives.

func fetch(u string) (*http.Response, error) {
	return http.Get(u) // want `http.Get uses http.DefaultClient, which has no timeout, so one stalled server hangs this call forever: use an http.Client with a Timeout`
}

func upload(u, body string) (*http.Response, error) {
	return http.Post(u, "text/plain", strings.NewReader(body)) // want `http.Post uses http.DefaultClient`
}

func probe(u string) {
	_, _ = http.Head(u)                   // want `http.Head uses http.DefaultClient`
	_, _ = http.PostForm(u, url.Values{}) // want `http.PostForm uses http.DefaultClient`
}

func do(req *http.Request) (*http.Response, error) {
	return http.DefaultClient.Do(req) // want `http.DefaultClient has no timeout, so one stalled server hangs this call forever: use an http.Client with a Timeout`
}

var shared = &http.Client{} // want `http.Client without a Timeout waits forever for a server that stops answering: set Timeout \(or bound every request with a context deadline\)`

type api struct{ c http.Client }

func newAPI(rt http.RoundTripper) *api {
	return &api{c: http.Client{Transport: rt}} // want `http.Client without a Timeout`
}

func withTransport() *http.Client {
	return &http.Client{ // want `http.Client without a Timeout`
		Transport: &http.Transport{MaxIdleConnsPerHost: 8},
	}
}

func serve(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h} // want `http.Server without ReadHeaderTimeout lets a slow client hold a connection open forever \(Slowloris\): set ReadHeaderTimeout`
	return srv.ListenAndServe()
}

// Negatives.

var bounded = &http.Client{Timeout: 10 * time.Second}

func later() *http.Client {
	c := &http.Client{}
	c.Timeout = 5 * time.Second // set right after the literal
	return c
}

type crawler struct{ client *http.Client }

func (cr *crawler) init() {
	cr.client = &http.Client{Transport: http.DefaultTransport}
	cr.client.Timeout = time.Minute
}

// New: a nil client means http.DefaultClient; the caller can inject one with a timeout.
func New(c *http.Client) *crawler {
	if c == nil {
		c = http.DefaultClient
	}
	return &crawler{client: c}
}

func (cr *crawler) httpClient() *http.Client {
	if cr.client != nil {
		return cr.client
	}
	return http.DefaultClient
}

func download() *http.Client {
	// Long downloads: Client.Timeout would also cut the body; the headers are bounded.
	return &http.Client{Transport: &http.Transport{ResponseHeaderTimeout: 10 * time.Second}}
}

func method(u string) (*http.Response, error) {
	return bounded.Get(u) // a method on a client with a timeout
}

func servers(h http.Handler) []*http.Server {
	a := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	b := &http.Server{Handler: h, ReadTimeout: 30 * time.Second} // ReadHeaderTimeout defaults to ReadTimeout
	c := &http.Server{Handler: h}
	c.ReadHeaderTimeout = 2 * time.Second
	return []*http.Server{a, b, c}
}

type Client struct{ Name string }

var lookalike = &Client{Name: "not net/http"}

// NewFX: a nil client gets one of its own; callers bound requests with ctx.
func NewFX(c *http.Client) *crawler {
	if c == nil {
		c = &http.Client{}
	}
	return &crawler{client: c}
}
