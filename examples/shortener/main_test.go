package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestShortenThenRedirect(t *testing.T) {
	srv := httptest.NewServer(newRouter(&store{links: map[string]string{}}))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/links", "application/json", strings.NewReader(`{"url":"https://go.dev/"}`))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /links: %s", resp.Status)
	}
}
