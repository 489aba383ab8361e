package a

import (
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Never written after their declaration: fine.
var ErrNotFound = errors.New("not found")

var rates = map[string]int64{"EUR": 100}

var client = &http.Client{Timeout: 5 * time.Second}

// Written later: global state.
var (
	cache   = map[string]*time.Location{}
	count   int
	db      *sql.DB
	config  struct{ Addr string }
	hits    int64
	history []string
	current *settings
	FXURL   string
	order   [4]int
)

type settings struct{ debug bool }

// Positive cases: writes.

func zone(name string) *time.Location {
	if loc, ok := cache[name]; ok {
		return loc
	}
	loc, _ := time.LoadLocation(name)
	cache[name] = loc // want `zone writes cache\[name\], part of package variable cache: global state is shared`
	return loc
}

func next() int {
	count++ // want `next increments or decrements package variable count`
	return count
}

func reset() {
	cache = map[string]*time.Location{} // want `reset writes package variable cache`
	clear(history)                      // want `reset deletes from package variable history`
}

func forget(name string) {
	delete(cache, name) // want `forget deletes from package variable cache`
}

func load(b []byte) error {
	return json.Unmarshal(b, &config) // want `load passes a pointer to package variable config`
}

func hit() {
	atomic.AddInt64(&hits, 1) // want `hit passes a pointer to package variable hits`
}

func record(s string) {
	history = append(history, s) // want `record writes package variable history`
}

func debugOn() {
	current.debug = true // want `debugOn writes current.debug, part of package variable current`
}

func setTimeout() {
	http.DefaultClient.Timeout = time.Second // want `setTimeout writes http.DefaultClient.Timeout, part of package variable http.DefaultClient`
}

func handler() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		count += 2 // want `a func literal in handler writes package variable count`
	}
}

func shuffle() {
	for order[0], order[1] = range []int{1} { // want `shuffle writes order\[0\], part of package variable order` `shuffle writes order\[1\], part of package variable order`
	}
}

// Positive cases: side effects at initialisation.

func init() {
	FXURL = os.Getenv("FX_URL") // want `init reads the environment \(os.Getenv\) at import, before main and every test`
	if FXURL == "" {
		FXURL = "http://fx.internal:8080"
	}
	var err error
	db, err = sql.Open("postgres", dsn()) // want `init opens a database \(sql.Open\) at import` `init calls dsn, which reads the environment`
	if err != nil {
		panic(err)
	}
	// Set-up writes in init are not reported; a func literal that only
	// runs later is.
	http.HandleFunc("/hits", func(w http.ResponseWriter, r *http.Request) {
		hits++ // want `a func literal in init increments or decrements package variable hits`
	})
}

func dsn() string {
	if v, ok := os.LookupEnv("DSN"); ok {
		return v
	}
	return "mem://"
}

func init() {
	_ = dsn() // want `init calls dsn, which reads the environment \(os.LookupEnv\) at import`
}

var home, _ = os.UserHomeDir() // want `the initialiser of package variable home, _ reads the environment \(os.UserHomeDir\)`

func init() {
	resp, err := http.Get(FXURL + "/ping") // want `init calls the network \(http.Get\) at import`
	if err == nil {
		resp.Body.Close()
	}
	client.Get(FXURL) // want `init calls the network \(client.Get\) at import`
	flag.Parse()      // want `init parses the command line`
}

// Negative cases.

var (
	zonesOnce sync.Once
	zones     map[string]*time.Location
	mu        sync.Mutex
	total     atomic.Int64
	table     [256]byte
	loader    = sync.OnceValue(func() map[string]int64 {
		m := map[string]int64{}
		return m
	})
)

func init() {
	// Computing a table at start-up is initialisation, not I/O.
	for i := range table {
		table[i] = byte(i * 7)
	}
	rates["USD"] = 90
}

func lazyZones() map[string]*time.Location {
	zonesOnce.Do(func() {
		zones = map[string]*time.Location{} // lazy initialisation under sync.Once
	})
	return zones
}

func locked() int64 {
	mu.Lock() // a method call on a package variable: not reported
	defer mu.Unlock()
	total.Add(1)
	return total.Load() + atomic.LoadInt64(&hits)
}

func readOnly() (int64, string, *http.Client) {
	local := rates // reads
	local = nil
	_ = local
	count := 3 // a local that shadows the package variable
	count++
	return rates["EUR"] + int64(count), FXURL, client
}

func localMap() {
	cache := map[string]int{}
	cache["x"] = 1 // a local
	var s settings
	s.debug = true
	p := &s
	p.debug = false
}

func envAtRunTime() string {
	return os.Getenv("HOME") // not during initialisation
}

var _ = loader

// A synchronised registry, as database/sql keeps its drivers: shared on
// purpose, written under its lock.
var registry = struct {
	sync.RWMutex
	m map[string]func() error
}{m: map[string]func() error{}}

func Register(name string, f func() error) {
	registry.Lock()
	defer registry.Unlock()
	registry.m[name] = f
}

var (
	hooksMu sync.Mutex
	hooks   []func()
)

func AddHook(f func()) {
	hooksMu.Lock()
	hooks = append(hooks, f)
	hooksMu.Unlock()
}

var (
	tablesOnce sync.Once
	squares    []int
)

func initTables() {
	squares = make([]int, 16) // a lazy initialiser, given by name to Once.Do
	for i := range squares {
		squares[i] = i * i
	}
}

func square(i int) int {
	tablesOnce.Do(initTables)
	return squares[i]
}
