module example.com/feed-agg

go 1.19

require (
	github.com/google/uuid v1.3.0
	gopkg.in/yaml.v3 v3.0.1
)
