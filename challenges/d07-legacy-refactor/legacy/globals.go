// Package legacy is the billing code you are refactoring. It works, it is in
// production, and nobody dares touch it. DO NOT EDIT: the characterisation
// tests compare your package with this one (and TestLegacyUntouched checks
// that it has not changed).
//
// It was ported line by line from a Python service, and it shows: module
// globals, dicts of interface{}, errors compared as strings, the clock and
// the HTTP client reached for wherever they were needed.
package legacy

import (
	"errors"
	"io"
	"log"
	"os"
	"strings"
	"sync"
	"time"

	_ "time/tzdata" // zone data for machines without a zoneinfo database
)

// FXURL is the base URL of the exchange-rate service. init reads it from
// FX_URL; tests overwrite it.
var FXURL string

// the "database": opened by init from BILLING_DSN
var db *store

// cache holds anything worth keeping: exchange rates, time zones. Like the
// Python dict it replaced, it is not safe for concurrent use.
var cache = map[string]interface{}{}

var logger *log.Logger

var dbMu sync.Mutex // added after an incident in 2021; only Reset uses it

func init() {
	FXURL = os.Getenv("FX_URL")
	if FXURL == "" {
		FXURL = "http://fx.internal:8080"
	}
	dsn := os.Getenv("BILLING_DSN")
	if dsn == "" {
		dsn = "mem://billing"
	}
	var err error
	db, err = openStore(dsn)
	if err != nil {
		panic("billing: cannot open database: " + err.Error())
	}
	var out io.Writer = io.Discard
	if os.Getenv("BILLING_LOG") != "" {
		out = os.Stderr
	}
	logger = log.New(out, "billing: ", log.LstdFlags)
}

// store is what "opening the database" gives in this build: rows in a map.
type store struct {
	dsn  string
	rows map[string]map[string]interface{}
}

func openStore(dsn string) (*store, error) {
	if !strings.HasPrefix(dsn, "mem://") {
		return nil, errors.New("unsupported dsn " + dsn)
	}
	return &store{dsn: dsn, rows: map[string]map[string]interface{}{}}, nil
}

func (s *store) get(id string) (map[string]interface{}, error) {
	row, ok := s.rows[id]
	if !ok {
		return nil, errors.New("not found")
	}
	return row, nil
}

func (s *store) put(id string, row map[string]interface{}) error {
	if id == "" {
		return errors.New("empty id")
	}
	s.rows[id] = row
	return nil
}

// Reset empties the database and the cache. Tests call it between runs.
func Reset() {
	dbMu.Lock()
	defer dbMu.Unlock()
	db.rows = map[string]map[string]interface{}{}
	cache = map[string]interface{}{}
}

// cacheGet returns a cached value younger than ttl.
func cacheGet(key string, ttl time.Duration) (interface{}, bool) {
	v, ok := cache[key]
	if !ok {
		return nil, false
	}
	entry := v.(map[string]interface{})
	if time.Since(entry["at"].(time.Time)) > ttl {
		delete(cache, key)
		return nil, false
	}
	return entry["value"], true
}

func cacheSet(key string, value interface{}) {
	cache[key] = map[string]interface{}{"value": value, "at": time.Now()}
}

// zone loads a time zone, cached forever.
func zone(name string) (*time.Location, error) {
	if v, ok := cacheGet("tz:"+name, 100*365*24*time.Hour); ok {
		return v.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	cacheSet("tz:"+name, loc)
	return loc, nil
}

// Get returns a stored invoice.
func Get(id string) (map[string]interface{}, error) {
	return db.get(id)
}
