package testresult

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// buildParser reads the compiler's and vet's output as relayed in
// build-output events. A "# pkg" header starts the compiler's section and
// "# [pkg]" starts vet's.
type buildParser struct {
	workDir string
	vet     bool
	errors  []BuildError
}

var compilerLine = regexp.MustCompile(`^(.+?\.go):(\d+)(?::(\d+))?: (.*)$`)

func (b *buildParser) line(out string) {
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "# "):
			b.vet = strings.HasPrefix(line, "# [")
		case strings.HasPrefix(line, "\t") && len(b.errors) > 0:
			// continuation of the previous error ("\thave (...)")
			last := &b.errors[len(b.errors)-1]
			last.Message += "\n" + strings.TrimPrefix(line, "\t")
		default:
			m := compilerLine.FindStringSubmatch(line)
			if m == nil {
				if strings.TrimSpace(line) != "" {
					b.errors = append(b.errors, BuildError{Message: line, Vet: b.vet})
				}
				continue
			}
			ln, _ := strconv.Atoi(m[2])
			col, _ := strconv.Atoi(m[3])
			file := m[1]
			if !filepath.IsAbs(file) && b.workDir != "" {
				file = filepath.Join(b.workDir, file)
			}
			b.errors = append(b.errors, BuildError{
				Location: Location{File: filepath.Clean(file), Line: ln, Column: col},
				Message:  m[4],
				Vet:      b.vet,
			})
		}
	}
}
