package benchio

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ---- The Go benchmark format ----

// tstResult is one benchmark result as golang.org/x/perf/benchfmt reads it.
type tstResult struct {
	Name   string // full name, without the "Benchmark" prefix
	Procs  int    // from the "-N" suffix; 1 without one
	Iters  int64
	Values map[string]float64 // unit -> value
	Config map[string]string  // configuration in effect for this result
}

// tstParseBenchfmt is a strict reading of the format
// (https://go.googlesource.com/proposal/+/master/design/14313-benchmark-format.md)
// following benchfmt.Reader's rules; where benchfmt would silently skip a
// line, this fails instead.
func tstParseBenchfmt(t *testing.T, text string) []tstResult {
	t.Helper()
	config := map[string]string{}
	var out []tstResult
	sc := bufio.NewScanner(strings.NewReader(text))
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		if strings.TrimSpace(l) == "" {
			continue
		}
		if strings.HasPrefix(l, "Benchmark") {
			f := strings.Fields(l)
			if len(f) < 4 || len(f)%2 != 0 {
				t.Fatalf("line %d: %q: want name, iterations and value/unit pairs", line, l)
			}
			r := tstResult{Name: strings.TrimPrefix(f[0], "Benchmark"), Procs: 1, Values: map[string]float64{}, Config: map[string]string{}}
			if i := strings.LastIndexByte(r.Name, '-'); i >= 0 && i < len(r.Name)-1 {
				if n, err := strconv.Atoi(r.Name[i+1:]); err == nil && !strings.ContainsAny(r.Name[i+1:], "+-") {
					r.Procs = n
				}
			}
			iters, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				t.Fatalf("line %d: %q: iteration count: %v", line, l, err)
			}
			r.Iters = iters
			for i := 2; i < len(f); i += 2 {
				v, err := strconv.ParseFloat(f[i], 64)
				if err != nil {
					t.Fatalf("line %d: %q: value %q: %v", line, l, f[i], err)
				}
				r.Values[f[i+1]] = v
			}
			for k, v := range config {
				r.Config[k] = v
			}
			out = append(out, r)
			continue
		}
		key, val, ok := strings.Cut(l, ":")
		okKey := ok && key != "" && unicode.IsLower([]rune(key)[0]) &&
			!strings.ContainsFunc(key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsUpper(r) })
		if !okKey || (val != "" && val[0] != ' ' && val[0] != '\t') {
			t.Fatalf("line %d: %q is neither a result nor a \"key: value\" configuration line", line, l)
		}
		if val = strings.TrimLeft(val, " \t"); val == "" {
			delete(config, key)
		} else {
			config[key] = val
		}
	}
	return out
}

func tstHist(ds ...time.Duration) *Histogram {
	h := new(Histogram)
	for _, d := range ds {
		h.Record(d)
	}
	return h
}

func TestBenchName(t *testing.T) {
	tests := []struct {
		workload    string
		procs, conc int
		want        string
	}{
		{"SHA256/size=64", 2, 4, "BenchmarkSHA256/size=64/conc=4-2"},
		{"SHA256/size=64", 1, 1, "BenchmarkSHA256/size=64/conc=1"},
		{"Pipe IO\twith tabs", 8, 16, "BenchmarkPipe_IO_with_tabs/conc=16-8"},
		{"bad\x00byte\u00a0é", 3, 2, `Benchmarkbad\x00byte_é/conc=2-3`},
		{"v-10", 2, 1, "Benchmarkv-10/conc=1-2"},
	}
	for _, tt := range tests {
		got := BenchName(Sample{Workload: tt.workload, Procs: tt.procs, Concurrency: tt.conc})
		if got != tt.want {
			t.Errorf("BenchName(%q, procs %d, conc %d): got %q, want %q", tt.workload, tt.procs, tt.conc, got, tt.want)
		}
	}
}

func TestWriteBenchfmt(t *testing.T) {
	samples := []Sample{
		{Workload: "SHA256/size=64", Kind: CPU, Procs: 2, Concurrency: 4, Ops: 1000, Elapsed: 2 * time.Millisecond,
			Latency: tstHist(7*time.Microsecond, 8*time.Microsecond, 9*time.Microsecond, 80*time.Microsecond)},
		{Workload: "SHA256/size=64", Kind: CPU, Procs: 1, Concurrency: 1, Ops: 3, Elapsed: 1000,
			Latency: tstHist(300, 301, 399)},
		{Workload: "Pipe IO", Kind: IO, Procs: 8, Concurrency: 16, Ops: 12, Elapsed: 3 * time.Millisecond,
			Latency: tstHist(2*time.Millisecond, 2*time.Millisecond, 3*time.Millisecond)},
		{Workload: "idle", Kind: IO, Procs: 2, Concurrency: 1, Ops: 0, Latency: new(Histogram)},
		{Workload: "JSON", Kind: CPU, Procs: 3, Concurrency: 2, Ops: 7, Elapsed: 3 * time.Second,
			Latency: tstHist(time.Second, 2*time.Second)},
	}
	var buf bytes.Buffer
	if err := WriteBenchfmt(&buf, samples); err != nil {
		t.Fatalf("WriteBenchfmt: got error %v, want nil", err)
	}
	t.Logf("output:\n%s", buf.String())
	got := tstParseBenchfmt(t, buf.String())

	var want []tstResult
	for _, s := range samples {
		if s.Ops == 0 {
			continue // nothing measured: no result line
		}
		want = append(want, tstResult{
			Name:  strings.TrimPrefix(BenchName(s), "Benchmark"),
			Procs: s.Procs,
			Iters: s.Ops,
			Values: map[string]float64{
				"ns/op":  float64(s.Elapsed) / float64(s.Ops),
				"p50-ns": float64(s.Latency.Quantile(0.5)),
				"p99-ns": float64(s.Latency.Quantile(0.99)),
			},
			Config: map[string]string{"goos": runtime.GOOS, "goarch": runtime.GOARCH, "kind": s.Kind.String()},
		})
	}
	// At least 4 significant digits: equal to within 0.05%.
	approx := cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) <= 5e-4*math.Abs(b) })
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("results read back from the output (-want +got):\n%s", diff)
	}
	wantNames := []string{"SHA256/size=64/conc=4-2", "SHA256/size=64/conc=1", "Pipe_IO/conc=16-8", "JSON/conc=2-3"}
	var gotNames []string
	for _, r := range got {
		gotNames = append(gotNames, r.Name)
	}
	if diff := cmp.Diff(wantNames, gotNames); diff != "" {
		t.Errorf("benchmark names (-want +got):\n%s", diff)
	}
}

type tstFailWriter struct{ n int }

func (w *tstFailWriter) Write(p []byte) (int, error) {
	if w.n += len(p); w.n > 100 {
		return 0, tstErrBoom
	}
	return len(p), nil
}

func TestWriteBenchfmtWriteError(t *testing.T) {
	var samples []Sample
	for i := range 50 {
		samples = append(samples, Sample{Workload: "w", Kind: CPU, Procs: 1, Concurrency: i + 1, Ops: 10, Elapsed: time.Millisecond, Latency: tstHist(time.Microsecond)})
	}
	if err := WriteBenchfmt(&tstFailWriter{}, samples); !errors.Is(err, tstErrBoom) {
		t.Errorf("WriteBenchfmt to a failing writer: got error %v, want the writer's error", err)
	}
	if err := RenderSVG(&tstFailWriter{}, []Series{{Name: "s", Points: []Point{{X: 1, Y: 1}, {X: 2, Y: 2}}}}, ChartOptions{}); !errors.Is(err, tstErrBoom) {
		t.Errorf("RenderSVG to a failing writer: got error %v, want the writer's error", err)
	}
}

// ---- Scaling ----

func TestScaling(t *testing.T) {
	// tput returns a sample with the given throughput in ops/s.
	tput := func(w string, procs, conc, rep int, opsPerSec float64) Sample {
		return Sample{Workload: w, Kind: CPU, Procs: procs, Concurrency: conc, Rep: rep,
			Ops: int64(opsPerSec), Elapsed: time.Second, Latency: new(Histogram)}
	}
	samples := []Sample{
		tput("A", 1, 4, 0, 400), tput("A", 1, 4, 1, 380), tput("A", 1, 4, 2, 390),
		tput("A", 1, 1, 0, 100), tput("A", 1, 1, 1, 120), tput("A", 1, 1, 2, 110),
		tput("B", 1, 2, 0, 0), // no ops: ignored
		tput("B", 1, 2, 1, 50),
		tput("A", 2, 8, 0, 900),
	}
	got, err := Scaling(samples, 0.7)
	if err != nil {
		t.Fatalf("Scaling: got error %v, want nil", err)
	}
	// With 3 repetitions, the 70% interval for the median spans the
	// smallest to the largest value; with 1 there is no finite interval.
	want := []Series{
		{Name: "A P=1", Points: []Point{{X: 1, Y: 110, Lo: 100, Hi: 120}, {X: 4, Y: 390, Lo: 380, Hi: 400}}},
		{Name: "B P=1", Points: []Point{{X: 2, Y: 50, Lo: 50, Hi: 50}}},
		{Name: "A P=2", Points: []Point{{X: 8, Y: 900, Lo: 900, Hi: 900}}},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-9, 0)); diff != "" {
		t.Errorf("Scaling (-want +got):\n%s", diff)
	}

	if _, err := Scaling(samples, 1.5); !errors.Is(err, ErrInvalid) {
		t.Errorf("Scaling with confidence 1.5: got error %v, want one wrapping ErrInvalid", err)
	}
	if _, err := Scaling([]Sample{tput("B", 1, 2, 0, 0)}, 0.95); !errors.Is(err, ErrInvalid) {
		t.Errorf("Scaling with nothing measured: got error %v, want one wrapping ErrInvalid", err)
	}
}

// ---- SVG ----

// tstSVG is what the tests read back from a chart.
type tstSVG struct {
	Width, Height string
	Paths         [][][2]float64 // the points of each <path>, in document order
	Circles       int
	Texts         []string
}

func tstParseSVG(t *testing.T, data []byte) tstSVG {
	t.Helper()
	var out tstSVG
	d := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	var text *strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, os.ErrClosed) || err != nil && err.Error() == "EOF" {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, data)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range tok.Attr {
				attr[a.Name.Local] = a.Value
			}
			if depth == 0 {
				if tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root element: got <%s> in namespace %q, want <svg> in http://www.w3.org/2000/svg", tok.Name.Local, tok.Name.Space)
				}
				out.Width, out.Height = attr["width"], attr["height"]
			}
			switch tok.Name.Local {
			case "path":
				out.Paths = append(out.Paths, tstPathPoints(t, attr["d"]))
			case "circle":
				out.Circles++
			case "text":
				text = new(strings.Builder)
			}
			depth++
		case xml.CharData:
			if text != nil {
				text.Write(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "text" && text != nil {
				out.Texts = append(out.Texts, strings.TrimSpace(text.String()))
				text = nil
			}
			depth--
		}
	}
	if depth != 0 {
		t.Fatalf("the SVG ends inside an element")
	}
	return out
}

// tstPathPoints reads a path made of absolute M and L commands.
func tstPathPoints(t *testing.T, d string) [][2]float64 {
	t.Helper()
	f := strings.FieldsFunc(d, func(r rune) bool { return r == ' ' || r == ',' || r == '\n' || r == '\t' })
	var pts [][2]float64
	for i := 0; i < len(f); {
		cmd := f[i]
		if cmd != "M" && cmd != "L" {
			// "M10 20" without a space: split the command off.
			if len(cmd) > 1 && (cmd[0] == 'M' || cmd[0] == 'L') {
				f[i] = cmd[1:]
				cmd = cmd[:1]
				i--
			} else {
				t.Fatalf("path d=%q: got %q, want only absolute M and L commands", d, f[i])
			}
		}
		if (cmd == "M") != (len(pts) == 0) {
			t.Fatalf("path d=%q: want one M, first, then L commands", d)
		}
		if i+2 >= len(f) {
			t.Fatalf("path d=%q: command %s without two coordinates", d, cmd)
		}
		x, err1 := strconv.ParseFloat(f[i+1], 64)
		y, err2 := strconv.ParseFloat(f[i+2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("path d=%q: bad coordinates %q %q", d, f[i+1], f[i+2])
		}
		pts = append(pts, [2]float64{x, y})
		i += 3
	}
	return pts
}

// tstGoldenCharts are the inputs of testdata/chart.golden.
func tstGoldenCharts() map[string]struct {
	series []Series
	o      ChartOptions
} {
	return map[string]struct {
		series []Series
		o      ChartOptions
	}{
		"logx": {
			series: []Series{
				{Name: "SHA256 P=2", Points: []Point{{1, 100, 90, 110}, {2, 190, 0, 0}, {4, 200, 180, 230}, {8, 205, 0, 0}, {16, 203, 0, 0}}},
				{Name: "PipeIO P=2", Points: []Point{{1, 50, 0, 0}, {2, 100, 0, 0}, {4, 200, 0, 0}, {8, 400, 0, 0}, {16, 800, 700, 900}}},
			},
			o: ChartOptions{Title: "throughput", XLabel: "goroutines", YLabel: "ops/s", LogX: true},
		},
		"logy": {
			series: []Series{
				{Name: "p99", Points: []Point{{0, 1e3, 0, 0}, {5, 1e5, 0, 0}, {10, 1e4, 5e3, 2e4}}},
			},
			o: ChartOptions{Width: 400, Height: 300, LogY: true},
		},
		"flat": {
			series: []Series{{Name: "constant", Points: []Point{{3, 7, 0, 0}, {3, 7, 0, 0}}}},
			o:      ChartOptions{},
		},
	}
}

// tstGoldenSHA256 pins testdata/chart.golden: the expected geometry is
// part of the judgement, so the file must not change.
const tstGoldenSHA256 = "bdfe2e87e630ebeee57e0ca1ec24e02cfbcbddf7663aad5ea3929d956c255ab4"

func TestRenderSVGGolden(t *testing.T) {
	charts := tstGoldenCharts()
	got := map[string][][][2]float64{}
	for name, c := range charts {
		var buf bytes.Buffer
		if err := RenderSVG(&buf, c.series, c.o); err != nil {
			t.Fatalf("RenderSVG(%s): got error %v, want nil", name, err)
		}
		got[name] = tstParseSVG(t, buf.Bytes()).Paths
	}
	path := filepath.Join("testdata", "chart.golden")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the golden file: %v", err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != tstGoldenSHA256 {
		t.Fatalf("%s was modified: restore it (it is the expected output, not yours to change)", path)
	}
	want := map[string][][][2]float64{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		var pts [][2]float64
		for _, xy := range f[1:] {
			var p [2]float64
			fmt.Sscanf(xy, "%g,%g", &p[0], &p[1])
			pts = append(pts, p)
		}
		want[f[0]] = append(want[f[0]], pts)
	}
	for name := range charts {
		if diff := cmp.Diff(want[name], got[name], cmpopts.EquateApprox(0, 0.06)); diff != "" {
			t.Errorf("chart %q: path points (pixels) differ from %s (-want +got):\n%s", name, path, diff)
		}
	}
}

func TestRenderSVGStructure(t *testing.T) {
	series := []Series{
		{Name: `a<b & "c"`, Points: []Point{{1, 1, 0.5, 1.5}, {2, 3, 0, 0}}},
		{Name: "second", Points: []Point{{1, 2, 0, 0}}},
		{Name: "third", Points: []Point{{2, 1, 0, 0}, {3, 4, 0, 0}, {4, 2, 0, 0}}},
	}
	o := ChartOptions{Title: "Scaling <CPU & IO>", XLabel: "goroutines", YLabel: "ops/s", Width: 800, Height: 500}
	var buf bytes.Buffer
	if err := RenderSVG(&buf, series, o); err != nil {
		t.Fatalf("RenderSVG: got error %v, want nil", err)
	}
	svg := tstParseSVG(t, buf.Bytes())
	if svg.Width != "800" || svg.Height != "500" {
		t.Errorf("svg size: got width %q height %q, want 800 and 500", svg.Width, svg.Height)
	}
	if len(svg.Paths) != len(series) {
		t.Fatalf("got %d <path> elements, want %d: one per series, and no other", len(svg.Paths), len(series))
	}
	for i, s := range series {
		if len(svg.Paths[i]) != len(s.Points) {
			t.Errorf("path %d: got %d points, want %d (series %q)", i, len(svg.Paths[i]), len(s.Points), s.Name)
		}
	}
	if svg.Circles != 6 {
		t.Errorf("got %d <circle> elements, want 6 (one per point)", svg.Circles)
	}
	for _, want := range []string{o.Title, o.XLabel, o.YLabel, series[0].Name, "second", "third"} {
		found := false
		for _, txt := range svg.Texts {
			found = found || txt == want
		}
		if !found {
			t.Errorf("no <text> element reads %q; texts: %q", want, svg.Texts)
		}
	}

	// Defaults: 640 × 400.
	buf.Reset()
	if err := RenderSVG(&buf, series[1:2], ChartOptions{}); err != nil {
		t.Fatalf("RenderSVG with zero options: got error %v, want nil", err)
	}
	if svg := tstParseSVG(t, buf.Bytes()); svg.Width != "640" || svg.Height != "400" {
		t.Errorf("default size: got %s×%s, want 640×400", svg.Width, svg.Height)
	}
}

func TestRenderSVGRejectsBadData(t *testing.T) {
	ok := []Point{{1, 1, 0, 0}, {2, 2, 0, 0}}
	tests := []struct {
		name   string
		series []Series
		o      ChartOptions
	}{
		{"no series", nil, ChartOptions{}},
		{"empty series", []Series{{Name: "a", Points: ok}, {Name: "b"}}, ChartOptions{}},
		{"NaN Y", []Series{{Name: "a", Points: []Point{{1, math.NaN(), 0, 0}}}}, ChartOptions{}},
		{"Inf X", []Series{{Name: "a", Points: []Point{{math.Inf(1), 1, 0, 0}}}}, ChartOptions{}},
		{"NaN Hi", []Series{{Name: "a", Points: []Point{{1, 1, 0, math.NaN()}}}}, ChartOptions{}},
		{"log X with 0", []Series{{Name: "a", Points: []Point{{0, 1, 0, 0}, {1, 2, 0, 0}}}}, ChartOptions{LogX: true}},
		{"log X negative", []Series{{Name: "a", Points: []Point{{-1, 1, 0, 0}}}}, ChartOptions{LogX: true}},
		{"log Y with 0", []Series{{Name: "a", Points: []Point{{1, 0, 0, 0}}}}, ChartOptions{LogY: true}},
		{"log Y error bar to 0", []Series{{Name: "a", Points: []Point{{1, 5, 0, 10}}}}, ChartOptions{LogY: true}},
		{"negative width", []Series{{Name: "a", Points: ok}}, ChartOptions{Width: -1}},
		{"tiny height", []Series{{Name: "a", Points: ok}}, ChartOptions{Height: 10}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		err := RenderSVG(&buf, tt.series, tt.o)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("RenderSVG with %s: got error %v, want one wrapping ErrInvalid", tt.name, err)
		}
		if buf.Len() != 0 {
			t.Errorf("RenderSVG with %s: wrote %d bytes, want nothing (validate before writing)", tt.name, buf.Len())
		}
	}
}
