package a

import (
	"database/sql"
	"io"
	"os"
	"sync"
)

// Positives.

func countAll(paths []string) (int, error) {
	n := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close() // want `defer f.Close in a loop runs only when the function returns, so every iteration's resource stays held until then: move the loop body into a function, or call it at the end of the iteration`
		b, _ := io.ReadAll(f)
		n += len(b)
	}
	return n, nil
}

var mu sync.Mutex

func lockEach(items []int) {
	for i := range items {
		mu.Lock()
		defer mu.Unlock() // want `defer mu.Unlock in a loop`
		items[i]++
	}
}

func txLoop(db *sql.DB, n int) error {
	for i := 0; i < n; i++ {
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback() // want `defer tx.Rollback in a loop`
		if _, err := tx.Exec("INSERT INTO t VALUES (?)", i); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

func nestedBlock(paths []string) {
	for _, p := range paths {
		if p != "" {
			f, _ := os.Create(p)
			defer f.Close() // want `defer f.Close in a loop`
		}
	}
}

func inSwitch(paths []string) {
	for _, p := range paths {
		switch {
		case p != "":
			f, _ := os.Open(p)
			defer f.Close() // want `defer f.Close in a loop`
			break           // leaves the switch, not the loop
		}
	}
}

func forever(next func() (io.Closer, bool)) {
	for {
		c, ok := next()
		if !ok {
			return
		}
		defer c.Close() // want `defer c.Close in a loop`
	}
}

// Negatives.

func perIteration(paths []string) {
	for _, p := range paths {
		func() {
			f, _ := os.Open(p)
			defer f.Close() // runs at the end of each iteration
		}()
	}
}

func first(paths []string) ([]byte, error) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // the return below leaves the loop: registered once
		return io.ReadAll(f)
	}
	return nil, os.ErrNotExist
}

func firstBreak(paths []string) {
	for _, p := range paths {
		if f, err := os.Open(p); err == nil {
			defer f.Close()
			break
		}
	}
}

func lockAll(mus []*sync.Mutex) {
	for _, m := range mus {
		m.Lock()
		defer m.Unlock() // lock them all, in order, until return
	}
}

func merge(paths []string) ([]io.Reader, error) {
	var rs []io.Reader
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // every input stays open for the merge below
		rs = append(rs, f)
	}
	return rs, nil
}

func cleanupTemps(names []string) {
	for _, n := range names {
		defer os.Remove(n)
	}
}

func deferOutside(paths []string) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for range paths {
		wg.Add(1)
		go func() {
			defer wg.Done() // inside a goroutine's func literal
		}()
	}
}

func labeled(groups [][]string) {
outer:
	for _, g := range groups {
		for _, p := range g {
			f, _ := os.Open(p)
			defer f.Close() // break outer leaves both loops: registered once
			break outer
		}
	}
}

func labeledContinue(groups [][]string) {
outer:
	for _, g := range groups {
		for _, p := range g {
			f, _ := os.Open(p)
			defer f.Close() // want `defer f.Close in a loop`
			continue outer
		}
	}
}
