package a

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestFetch(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	if _, err := http.Get(srv.URL); err != nil { // loopback test server
		t.Fatal(err)
	}
	c := &http.Client{Transport: srv.Client().Transport}
	_, _ = c.Get(srv.URL)
	_, _ = http.DefaultClient.Get(srv.URL)
	_ = &http.Server{}
}
