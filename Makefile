# gochallenge: the first two targets are the README's first two commands.
GO        ?= go
BIN       := bin/gochallenge
WORKSPACE ?= workspace
export GOTOOLCHAIN := local

.PHONY: run test bench build bundle check-bundle verify vet fmt-check extension vsix e2e vscode clean

## run: build the helper, create a workspace from the bundled curriculum if none exists, and watch it
run: build
	@test -f $(WORKSPACE)/gochallenge.json || ./$(BIN) init $(WORKSPACE)
	cd $(WORKSPACE) && ../$(BIN) watch

## test: every test of the project, ending with the extension driven in a real VS Code
test: fmt-check vet check-bundle extension
	$(GO) test -race -count=1 -timeout 20m ./...
	$(GO) run ./server/cmd/gochallenge verify
	$(MAKE) e2e

## extension: install the extension's npm dependencies (lockfile), type-check, unit-test and bundle it
extension:
	npm ci --no-audit --no-fund
	npm test
	npm run build

# Evaluated only where used: `make run` needs no Node.js.
VERSION = $(shell node -p "require('./package.json').version")
VSIX    = gochallenge-$(VERSION).vsix

# npm ci only when the lockfile changed since the last install.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

## vsix: the helper for this host, the extension bundle, and an installable gochallenge-<version>.vsix (contents: .vscodeignore)
# TARGETS="linux-x64 darwin-arm64 win32-x64" adds one gochallenge-<target>-<version>.vsix per
# platform, each with the helper cross-compiled for it (vsce package --target).
TARGETS ?=
vsix: build node_modules/.package-lock.json
	npm run build
	npx vsce package --no-dependencies --skip-license --allow-missing-repository --out $(VSIX)
	@ls -l $(VSIX)
	@if [ -n "$(TARGETS)" ]; then bash extension/package-targets.sh $(TARGETS) && ls -l gochallenge-*-$(VERSION).vsix; fi

## e2e: install the .vsix into a real VS Code (code-server, cached in ~/.cache/gochallenge-e2e) and drive it with Chromium; screenshots in e2e-screenshots/
e2e: vsix
	node extension/e2e/run.js --vsix $(VSIX)

## vscode: install the .vsix into your VS Code and open a challenge workspace (created if missing)
vscode: vsix
	code --install-extension $(VSIX) --force
	@test -f $(WORKSPACE)/gochallenge.json || ./$(BIN) init $(WORKSPACE)
	code $(WORKSPACE)

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
	rm -rf bin extension/out e2e-screenshots $(VSIX)
