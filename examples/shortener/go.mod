module example.com/shortener

go 1.19

require (
	github.com/google/uuid v1.3.0
	github.com/gorilla/mux v1.8.0
)
