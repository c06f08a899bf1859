// Command feed-agg serves the newest items of a set of RSS and Atom feeds
// listed in a YAML config, as JSON, refreshed on an interval.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/google/uuid"
)

func main() {
	confPath := flag.String("conf", "/etc/feed-agg/conf.yaml", "config file")
	flag.Parse()

	raw, err := os.ReadFile(*confPath)
	if err != nil {
		log.Fatalf("read config: %v", err)
	}
	conf, err := parseConfig(raw)
	if err != nil {
		log.Fatalf("%s: %v", *confPath, err)
	}

	agg := newAggregator(conf, http.DefaultClient)
	go agg.run(time.Duration(conf.RefreshSeconds) * time.Second)

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/items", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", uuid.NewString())
		if err := json.NewEncoder(w).Encode(agg.items()); err != nil {
			log.Printf("encode items: %v", err)
		}
	})
	log.Printf("feed-agg listening on %s with %d feeds", conf.Listen, len(conf.Feeds))
	log.Fatal(http.ListenAndServe(conf.Listen, mux))
}
