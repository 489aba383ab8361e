# gochallenge: the first two targets are the README's first two commands.
GO        ?= go
BIN       := bin/gochallenge
WORKSPACE ?= workspace
export GOTOOLCHAIN := local

.PHONY: run test bench build bundle check-bundle verify vet fmt-check extension clean

## run: build the helper, create a workspace from the bundled curriculum if none exists, and watch it
run: build
	@test -f $(WORKSPACE)/gochallenge.json || ./$(BIN) init $(WORKSPACE)
	cd $(WORKSPACE) && ../$(BIN) watch

## test: every test of the project
test: fmt-check vet check-bundle extension
	$(GO) test -race -count=1 -timeout 20m ./...
	$(GO) run ./server/cmd/gochallenge verify

## extension: install the extension's npm dependencies (lockfile), type-check, unit-test and bundle it
extension:
	npm ci --no-audit --no-fund
	npm test
	npm run build

## bench: the language-server harness (prints a table; targets are reported, not asserted)
bench:
	$(GO) run ./server/cmd/lspbench

build:
	$(GO) build -o $(BIN) ./server/cmd/gochallenge

## bundle: regenerate the embedded curriculum after editing challenges/
bundle:
	$(GO) run ./server/cmd/gochallenge bundle -o server/internal/curriculum/bundle.txtar challenges

check-bundle:
	$(GO) run ./server/cmd/gochallenge bundle -check server/internal/curriculum/bundle.txtar challenges

verify:
	$(GO) run ./server/cmd/gochallenge verify

vet:
	$(GO) vet ./...
	cd challenges && $(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l server testdata challenges); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

clean:
	rm -rf bin extension/out
