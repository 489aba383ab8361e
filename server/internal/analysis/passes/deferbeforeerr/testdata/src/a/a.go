package a

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
)

// Positive cases.

func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	defer f.Close() // want `defer f.Close\(\) comes before the check of err: when os.Open fails, f is nil or zero`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

func fetch(url string) (int, error) {
	resp, err := http.Get(url)
	defer resp.Body.Close() // want `defer resp.Body.Close\(\) comes before the check of err`
	if err != nil {
		return 0, fmt.Errorf("fetch: %w", err)
	}
	return resp.StatusCode, nil
}

func transfer(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	defer tx.Rollback() // want `defer tx.Rollback\(\) comes before the check of err: when db.BeginTx fails, tx is nil`
	if err != nil {
		return err
	}
	return tx.Commit()
}

func setup() (func(), error) { return func() {}, nil }

func withCleanupFunc() {
	cleanup, err := setup()
	defer cleanup() // want `defer cleanup\(\) comes before the check of err`
	if err != nil {
		log.Fatal(err)
	}
}

func open[T any](ctx context.Context) (T, error) {
	var zero T
	return zero, errors.New("no")
}

func release[T any](ctx context.Context, v T) error { return nil }

func with[T any](ctx context.Context, body func(T) error) error {
	v, err := open[T](ctx)
	defer release(context.WithoutCancel(ctx), v) // want `defer release\(context.WithoutCancel\(ctx\), v\) comes before the check of err`
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	return body(v)
}

func deferredLiteral(name string) (err error) {
	f, err := os.Create(name)
	defer func() { // want `the deferred f.Close\(\) comes before the check of err`
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err != nil {
		return err
	}
	_, err = f.WriteString("hello")
	return err
}

func varForm() {
	var l, err = net.Listen("tcp", "127.0.0.1:0")
	defer l.Close() // want `defer l.Close\(\) comes before the check of err`
	if err != nil {
		panic(err)
	}
}

type locker struct{ mu sync.Mutex }

func lockFor(key string) (*sync.Mutex, error) { return new(sync.Mutex), nil }

func bodyDoesNotLeave(key string) {
	mu, err := lockFor(key)
	// No fix: the if does not return, so moving the defer after it would not help.
	defer mu.Unlock() // want `defer mu.Unlock\(\) comes before the check of err`
	if err != nil {
		fmt.Println(err)
	}
}

func assignedAndLogged(name string) (err error) {
	var f *os.File
	f, err = os.Open(name)
	log.Println("opened", name)
	defer f.Close() // want `defer f.Close\(\) comes before the check of err`
	if err != nil {
		return err
	}
	return nil
}

func pipes() error {
	r, w, err := os.Pipe()
	defer r.Close() // want `defer r.Close\(\) comes before the check of err`
	defer w.Close() // want `defer w.Close\(\) comes before the check of err`
	if err != nil {
		return err
	}
	return nil
}

func removeTemp() error {
	f, err := os.CreateTemp("", "x")
	defer os.Remove(f.Name()) // want `defer os.Remove\(f.Name\(\)\) comes before the check of err`
	if err != nil {
		return err
	}
	return f.Close()
}

// Negative cases.

func correct(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func guardedLiteral(name string) error {
	f, err := os.Open(name)
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	return err
}

func guardedOnErr(name string) error {
	f, err := os.Open(name)
	defer func() {
		if err == nil {
			f.Close()
		}
	}()
	return err
}

func notACleanup(name string) error {
	f, err := os.Open(name)
	defer log.Println("opened", f)
	if err != nil {
		return err
	}
	return f.Close()
}

func unrelatedDefer(mu *sync.Mutex, name string) error {
	mu.Lock()
	f, err := os.Open(name)
	defer mu.Unlock()
	if err != nil {
		return err
	}
	return f.Close()
}

func nilCheckInstead(name string) {
	f, err := os.Open(name)
	if f == nil {
		log.Print(err)
		return
	}
	defer f.Close()
}

func blankError(name string) {
	f, _ := os.Open(name)
	defer f.Close()
}

type conn struct{}

func (conn) Close() error { return nil }

func lookup(key string) (conn, bool) { return conn{}, true }

func notAnError(key string) {
	c, ok := lookup(key)
	defer c.Close()
	if !ok {
		return
	}
}

func deferInsideCheck(name string) error {
	f, err := os.Open(name)
	if err == nil {
		defer f.Close()
	}
	return err
}

func earlierValue(g *os.File, name string) error {
	f, err := os.Open(name)
	defer g.Close()
	if err != nil {
		return err
	}
	return f.Close()
}

func checkedWithIs(name string) error {
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	defer f.Close()
	return err
}
