package main

import (
	"encoding/xml"
	"fmt"
	"log"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Item is one entry of a feed, as served by /items.
type Item struct {
	Feed      string    `json:"feed"`
	Title     string    `json:"title"`
	Link      string    `json:"link"`
	Published time.Time `json:"published"`
}

type aggregator struct {
	conf   Config
	client *http.Client

	mu     sync.RWMutex
	latest []Item
}

func newAggregator(conf Config, client *http.Client) *aggregator {
	return &aggregator{conf: conf, client: client}
}

func (a *aggregator) items() []Item {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return append([]Item(nil), a.latest...)
}

func (a *aggregator) run(every time.Duration) {
	for {
		a.refresh()
		time.Sleep(every)
	}
}

func (a *aggregator) refresh() {
	var all []Item
	for _, f := range a.conf.Feeds {
		items, err := a.fetch(f)
		if err != nil {
			log.Printf("feed %s: %v", f.Name, err)
			continue
		}
		all = append(all, items...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Published.After(all[j].Published) })
	if len(all) > a.conf.MaxItems {
		all = all[:a.conf.MaxItems]
	}
	a.mu.Lock()
	a.latest = all
	a.mu.Unlock()
}

func (a *aggregator) fetch(f Feed) ([]Item, error) {
	resp, err := a.client.Get(f.URL)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", f.URL, resp.Status)
	}
	var doc feedDoc
	if err := xml.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode %s: %w", f.URL, err)
	}
	return doc.items(f.Name), nil
}

// feedDoc decodes both RSS 2.0 (<rss><channel><item>) and Atom (<feed><entry>).
type feedDoc struct {
	Channel struct {
		Items []struct {
			Title   string `xml:"title"`
			Link    string `xml:"link"`
			PubDate string `xml:"pubDate"`
		} `xml:"item"`
	} `xml:"channel"`
	Entries []struct {
		Title string `xml:"title"`
		Link  struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Updated string `xml:"updated"`
	} `xml:"entry"`
}

func (d feedDoc) items(feed string) []Item {
	var out []Item
	for _, it := range d.Channel.Items {
		t, _ := time.Parse(time.RFC1123Z, it.PubDate)
		out = append(out, Item{Feed: feed, Title: it.Title, Link: it.Link, Published: t})
	}
	for _, e := range d.Entries {
		t, _ := time.Parse(time.RFC3339, e.Updated)
		out = append(out, Item{Feed: feed, Title: e.Title, Link: e.Link.Href, Published: t})
	}
	return out
}
