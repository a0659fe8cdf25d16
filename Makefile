# coopdir — two commands: `make run` and `make test`.
GO       ?= go
BIN      := bin/coopdir
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)

.PHONY: all build run test test-go lint bench fuzz clean

all: build

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/coopdir

## run: build and serve http://localhost:8080 on SQLite (data/coopdir.db) with the demo directory.
run: build
	./$(BIN) serve --demo

## test: formatting, vet and every test, PostgreSQL included (a throwaway cluster is
## started when DATABASE_URL is not set; Debian's postgresql is installed if missing).
test: lint
	bash scripts/test.sh

lint:
	@out=$$(gofmt -l cmd directory web migrations federation instance mail 2>/dev/null); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## bench: search, partner, delivery and inbox benchmarks at scale on both engines (prints tables;
## bash scripts/bench.sh -quick for a small run).
bench:
	bash scripts/bench.sh

## fuzz: run each fuzz target for FUZZTIME (default 30s); make test runs their seeds.
fuzz:
	bash scripts/fuzz.sh

clean:
	rm -rf bin
