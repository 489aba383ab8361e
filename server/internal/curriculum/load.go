package curriculum

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ManifestFile is the name of a challenge's manifest.
const ManifestFile = "challenge.json"

//go:embed challenge.schema.json
var schemaJSON []byte

var schema = func() *jsonschema.Schema {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		panic("curriculum: bad embedded schema: " + err.Error())
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("challenge.schema.json", doc); err != nil {
		panic(err)
	}
	return c.MustCompile("challenge.schema.json")
}()

// Challenge is a manifest and the folder that holds its files.
type Challenge struct {
	Manifest
	// Dir is the challenge's folder, slash-separated, relative to the
	// curriculum root (it equals the ID).
	Dir string
}

// Curriculum is every challenge, in course order.
type Curriculum struct {
	Challenges []*Challenge
	byID       map[string]*Challenge
}

// ParseManifest checks data against the schema and the rules a schema
// cannot express, and decodes it.
func ParseManifest(data []byte) (*Manifest, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if err := schema.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return nil, fmt.Errorf("does not match the manifest schema:\n%s", indent(fmt.Sprintf("%v", ve.DetailedOutput())))
		}
		return nil, err
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	for i, h := range m.Hints {
		if h.Level != i+1 {
			return nil, fmt.Errorf("hint %d has level %d: hints must be levels 1, 2, 3 in order", i+1, h.Level)
		}
		if i > 0 {
			prev := m.Hints[i-1].UnlockAfter
			if h.UnlockAfter.FailedRuns < prev.FailedRuns || h.UnlockAfter.Minutes < prev.Minutes {
				return nil, fmt.Errorf("hint %d unlocks before hint %d", i+1, i)
			}
		}
	}
	for _, b := range m.Benchmarks {
		if b.Baseline == b.Name {
			return nil, fmt.Errorf("benchmark %s is its own baseline", b.Name)
		}
	}
	return &m, nil
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n  ")
}

// Load reads every <id>/challenge.json under the root of fsys. Problems
// in several manifests are reported together.
func Load(fsys fs.FS) (*Curriculum, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	c := &Curriculum{byID: map[string]*Challenge{}}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), "_") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		file := path.Join(e.Name(), ManifestFile)
		data, err := fs.ReadFile(fsys, file)
		if errors.Is(err, fs.ErrNotExist) {
			continue // a folder that is not a challenge
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		m, err := ParseManifest(data)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", file, err))
			continue
		}
		if m.ID != e.Name() {
			errs = append(errs, fmt.Errorf("%s: id %q does not match its folder %q", file, m.ID, e.Name()))
			continue
		}
		for _, f := range m.Files {
			if _, err := fs.Stat(fsys, path.Join(e.Name(), f)); err != nil {
				errs = append(errs, fmt.Errorf("%s: learner file %s is missing", file, f))
			}
		}
		ch := &Challenge{Manifest: *m, Dir: e.Name()}
		c.Challenges = append(c.Challenges, ch)
		c.byID[m.ID] = ch
	}
	sort.Slice(c.Challenges, func(i, j int) bool { return c.Challenges[i].Order() < c.Challenges[j].Order() })
	seen := map[int]string{}
	for _, ch := range c.Challenges {
		if other, dup := seen[ch.Order()]; dup {
			errs = append(errs, fmt.Errorf("%s and %s are both %s", other, ch.ID, ch.Label()))
		}
		seen[ch.Order()] = ch.ID
		for _, dep := range ch.DependsOn {
			if c.byID[dep] == nil {
				errs = append(errs, fmt.Errorf("%s depends on unknown challenge %q", ch.ID, dep))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(c.Challenges) == 0 {
		return nil, errors.New("no challenges found (no */challenge.json)")
	}
	return c, nil
}

// Get returns the challenge with this id, or an error that suggests the
// closest ids.
func (c *Curriculum) Get(id string) (*Challenge, error) {
	if ch := c.byID[id]; ch != nil {
		return ch, nil
	}
	// Accept a unique prefix: "d01" for "d01-lru-cache".
	var matches []string
	for _, ch := range c.Challenges {
		if strings.HasPrefix(ch.ID, id) {
			matches = append(matches, ch.ID)
		}
	}
	if len(matches) == 1 && id != "" {
		return c.byID[matches[0]], nil
	}
	if len(matches) > 1 {
		return nil, fmt.Errorf("%q is ambiguous: %s", id, strings.Join(matches, ", "))
	}
	return nil, fmt.Errorf("unknown challenge %q (see `gochallenge list`)", id)
}

// IDs lists challenge ids in course order.
func (c *Curriculum) IDs() []string {
	out := make([]string, len(c.Challenges))
	for i, ch := range c.Challenges {
		out[i] = ch.ID
	}
	return out
}

// Sections groups challenges by section in course order.
func (c *Curriculum) Sections() (names []string, bySection map[string][]*Challenge) {
	bySection = map[string][]*Challenge{}
	for _, ch := range c.Challenges {
		s := ch.Section()
		if !slices.Contains(names, s) {
			names = append(names, s)
		}
		bySection[s] = append(bySection[s], ch)
	}
	return names, bySection
}

// IsLearnerFile reports whether name (a base name) is one the learner edits.
func (ch *Challenge) IsLearnerFile(name string) bool {
	return slices.Contains(ch.Files, name)
}
