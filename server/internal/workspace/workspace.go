// Package workspace is a learner's copy of the curriculum on disk: where it
// is, how it is created from the bundled curriculum, which of its test
// files are still the ones shipped, and how a challenge is reset.
package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gochallenge.dev/gochallenge/server/internal/curriculum"
	"gochallenge.dev/gochallenge/server/internal/progress"
)

// MarkerFile marks a workspace's root, like .git marks a repository.
const MarkerFile = "gochallenge.json"

// StateDir holds progress and backups.
const StateDir = ".gochallenge"

// ErrNoWorkspace is returned by Find when no workspace encloses the directory.
var ErrNoWorkspace = errors.New("not inside a gochallenge workspace (no gochallenge.json here or in any parent folder); create one with `gochallenge init DIR`")

// Meta is the content of gochallenge.json.
type Meta struct {
	Version int       `json:"version"`
	Created time.Time `json:"created"`
	// ShippedTests maps "<id>/<file>_test.go" to the SHA-256 of the file
	// as shipped: a challenge whose tests were edited is never "done".
	ShippedTests map[string]string `json:"shippedTests"`
}

// Workspace is an opened workspace.
type Workspace struct {
	Root       string
	Meta       Meta
	Curriculum *curriculum.Curriculum
	Progress   *progress.Store
}

// Find opens the workspace enclosing dir.
func Find(dir string) (*Workspace, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, MarkerFile)); err == nil && st.Mode().IsRegular() {
			return Open(d)
		}
		if filepath.Dir(d) == d {
			return nil, ErrNoWorkspace
		}
	}
}

// Open opens the workspace rooted at root.
func Open(root string) (*Workspace, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(root, MarkerFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s is not a gochallenge workspace: %w", root, ErrNoWorkspace)
		}
		return nil, err
	}
	w := &Workspace{Root: root}
	if err := json.Unmarshal(data, &w.Meta); err != nil {
		return nil, fmt.Errorf("%s is damaged (%v); restore it from version control or re-create the workspace", filepath.Join(root, MarkerFile), err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return nil, fmt.Errorf("workspace %s has no go.mod: restore it from version control or run `gochallenge init` in a new folder", root)
	}
	if w.Curriculum, err = curriculum.Load(os.DirFS(root)); err != nil {
		return nil, fmt.Errorf("workspace %s: %w", root, err)
	}
	if w.Progress, err = progress.Open(filepath.Join(root, StateDir)); err != nil {
		return nil, err
	}
	return w, nil
}

// Init creates a workspace in dir from the curriculum in src (normally
// curriculum.Bundled()). It refuses to overwrite any existing file.
func Init(dir string, src fs.FS) (*Workspace, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, MarkerFile)); err == nil {
		return nil, fmt.Errorf("%s is already a gochallenge workspace", dir)
	}
	files, err := shippedFiles(src)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f))); err == nil {
			return nil, fmt.Errorf("%s already exists; choose an empty folder", filepath.Join(dir, filepath.FromSlash(f)))
		}
	}
	meta := Meta{Version: 1, Created: time.Now().UTC().Truncate(time.Second), ShippedTests: map[string]string{}}
	for _, f := range files {
		data, err := shippedContent(src, f)
		if err != nil {
			return nil, err
		}
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(f)), data); err != nil {
			return nil, err
		}
		if strings.HasSuffix(f, "_test.go") && strings.Contains(f, "/") {
			meta.ShippedTests[f] = hash(data)
		}
	}
	gitignore := StateDir + "/backups/\n"
	if err := writeFile(filepath.Join(dir, ".gitignore"), []byte(gitignore)); err != nil {
		return nil, err
	}
	data, _ := json.MarshalIndent(meta, "", "  ")
	if err := writeFile(filepath.Join(dir, MarkerFile), append(data, '\n')); err != nil {
		return nil, err
	}
	return Open(dir)
}

// shippedFiles lists what a workspace receives: everything but the
// folders starting with "_" (solutions) in course order of paths.
func shippedFiles(src fs.FS) ([]string, error) {
	var files []string
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), "_") {
				return fs.SkipDir
			}
			return nil
		}
		files = append(files, p)
		return nil
	})
	sort.Strings(files)
	if err == nil && len(files) == 0 {
		err = errors.New("the curriculum is empty")
	}
	return files, err
}

// shippedContent is a file as a learner's workspace receives it: as in
// the curriculum, except manifests, whose hint texts are sealed.
func shippedContent(src fs.FS, name string) ([]byte, error) {
	data, err := fs.ReadFile(src, name)
	if err != nil || path.Base(name) != curriculum.ManifestFile {
		return data, err
	}
	return curriculum.SealHints(data)
}

func writeFile(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

func hash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Dir is the absolute folder of a challenge.
func (w *Workspace) Dir(ch *curriculum.Challenge) string {
	return filepath.Join(w.Root, filepath.FromSlash(ch.Dir))
}

// Learner returns a predicate telling whether an absolute path is a file
// the learner edits in this challenge.
func (w *Workspace) Learner(ch *curriculum.Challenge) func(string) bool {
	dir := w.Dir(ch)
	return func(p string) bool {
		return filepath.Dir(p) == dir && ch.IsLearnerFile(filepath.Base(p))
	}
}

// ChallengeOf returns the challenge whose folder holds the absolute path p.
func (w *Workspace) ChallengeOf(p string) *curriculum.Challenge {
	rel, err := filepath.Rel(w.Root, p)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil
	}
	first, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	ch, err := w.Curriculum.Get(first)
	if err != nil || ch.ID != first {
		return nil
	}
	return ch
}

// EditedTests lists the challenge's shipped test files that were changed
// or deleted since the workspace was created.
func (w *Workspace) EditedTests(ch *curriculum.Challenge) []string {
	var edited []string
	for f, want := range w.Meta.ShippedTests {
		if path.Dir(f) != ch.Dir {
			continue
		}
		data, err := os.ReadFile(filepath.Join(w.Root, filepath.FromSlash(f)))
		if err != nil || hash(data) != want {
			edited = append(edited, path.Base(f))
		}
	}
	sort.Strings(edited)
	return edited
}
