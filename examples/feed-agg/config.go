package main

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Config is the YAML configuration of the aggregator.
type Config struct {
	Listen         string `yaml:"listen"`
	RefreshSeconds int    `yaml:"refreshSeconds"`
	MaxItems       int    `yaml:"maxItems"`
	Feeds          []Feed `yaml:"feeds"`
}

// Feed is one RSS or Atom source.
type Feed struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
}

func parseConfig(raw []byte) (Config, error) {
	conf := Config{Listen: ":8080", RefreshSeconds: 900, MaxItems: 50}
	if err := yaml.Unmarshal(raw, &conf); err != nil {
		return Config{}, fmt.Errorf("parse config: %w", err)
	}
	for i, f := range conf.Feeds {
		if f.URL == "" {
			return Config{}, fmt.Errorf("feeds[%d] (%q): url is empty", i, f.Name)
		}
	}
	return conf, nil
}
