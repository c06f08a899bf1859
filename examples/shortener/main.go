// Command shortener is a small in-memory URL shortener: POST /links with a
// JSON {"url": "..."} returns a short id, GET /{id} redirects to the URL.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"net/url"
	"os"
	"sync"

	"github.com/google/uuid"
	"github.com/gorilla/mux"
)

type store struct {
	mu    sync.RWMutex
	links map[string]string
}

func (s *store) add(target string) string {
	id := uuid.NewString()[:8]
	s.mu.Lock()
	s.links[id] = target
	s.mu.Unlock()
	return id
}

func (s *store) get(id string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	target, ok := s.links[id]
	return target, ok
}

func newRouter(s *store) *mux.Router {
	r := mux.NewRouter()
	r.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}).Methods(http.MethodGet)
	r.HandleFunc("/links", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			URL string `json:"url"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, "body must be JSON {\"url\": ...}", http.StatusBadRequest)
			return
		}
		if u, err := url.Parse(body.URL); err != nil || u.Scheme == "" || u.Host == "" {
			http.Error(w, "url must be absolute", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]string{"id": s.add(body.URL)})
	}).Methods(http.MethodPost)
	r.HandleFunc("/{id:[0-9a-f]{8}}", func(w http.ResponseWriter, r *http.Request) {
		target, ok := s.get(mux.Vars(r)["id"])
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, target, http.StatusFound)
	}).Methods(http.MethodGet)
	return r
}

func main() {
	addr := os.Getenv("LISTEN")
	if addr == "" {
		addr = ":8080"
	}
	log.Printf("shortener listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, newRouter(&store{links: map[string]string{}})))
}
