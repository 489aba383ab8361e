package a

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"io"
	"os"
)

// Positives.

func save(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `defer f.Close\(\) ignores the error that says whether the written data reached the file \(disk full, quota, NFS\): close it explicitly on the success path and return that error`
	_, err = f.Write(data)
	return err
}

func appendLog(path, line string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // want `defer f.Close\(\) ignores the error`
	_, err = io.WriteString(f, line)
	return err
}

func buffered(w io.Writer, lines []string) {
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		bw.WriteString(l)
	}
	bw.Flush() // want `bw.Flush\(\) ignores the error of the final write of buffered data, so a failed write goes unnoticed and the caller believes it succeeded: check it on the success path`
}

func compress(w io.Writer, data []byte) error {
	zw := gzip.NewWriter(w)
	defer zw.Close() // want `defer zw.Close\(\) ignores the error of the final write`
	if _, err := zw.Write(data); err != nil {
		return err
	}
	return zw.Flush() // Flush does not write the gzip footer: Close does
}

func export(w io.Writer, rows [][]string) {
	cw := csv.NewWriter(w)
	for _, r := range rows {
		cw.Write(r)
	}
	cw.Flush() // want `cw.Flush\(\) reports nothing: a failed write is only visible through cw.Error\(\), which is never checked; check it after Flush`
}

func archive(w io.Writer) {
	tw := tar.NewWriter(w)
	tw.Close() // want `tw.Close\(\) ignores the error of the final write`
}

func zipped(w io.Writer) error {
	zw := zip.NewWriter(w)
	defer zw.Close() // want `defer zw.Close\(\) ignores`
	_, err := zw.Create("a.txt")
	return err
}

func durable(path string, data []byte) error {
	var f, err = os.CreateTemp("", "x")
	if err != nil {
		return err
	}
	f.Write(data)
	f.Sync()         // want `f.Sync\(\) ignores the error`
	return f.Close() // checked, but a failed Sync was ignored above
}

// Negatives.

func load(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // read-only: nothing to lose
	return io.ReadAll(f)
}

func loadRO(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func safetyNet(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // for the early return below; the real Close is checked
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Close()
}

func synced(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Sync() // the data is on disk once this succeeds
}

func namedResult(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = f.Write(data)
	return err
}

func checkedFlush(w io.Writer, s string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(s)
	if err := bw.Flush(); err != nil {
		return err
	}
	return nil
}

func discarded(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	_ = f.Close() // an explicit decision
}

func csvChecked(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.WriteAll(rows)
	cw.Flush()
	return cw.Error()
}

func given(f *os.File, data []byte) error {
	defer f.Close() // opened elsewhere: unknown mode
	_, err := f.Write(data)
	return err
}

func dynamicFlags(path string, flag int) error {
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return err
	}
	defer f.Close() // the flags are not known here
	return nil
}

func gzipClosed(w io.Writer, data []byte) error {
	zw := gzip.NewWriter(w)
	defer zw.Close() // safety net
	if _, err := zw.Write(data); err != nil {
		return err
	}
	return zw.Close()
}

func errorPath(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close() // the write error is the one to report
		return err
	}
	return f.Close()
}

func successPath(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	f.Write(data)
	f.Close() // want `f.Close\(\) ignores the error`
	return nil
}

func inMemoryGzip(blocks [][]byte) [][]byte {
	var out [][]byte
	zw := gzip.NewWriter(nil)
	for _, b := range blocks {
		var buf bytes.Buffer
		zw.Reset(&buf)
		zw.Write(b)
		zw.Close() // writes to a bytes.Buffer cannot fail
		out = append(out, buf.Bytes())
	}
	return out
}

func inMemoryBufio(s string) string {
	var sb bytes.Buffer
	bw := bufio.NewWriter(&sb)
	bw.WriteString(s)
	bw.Flush()
	return sb.String()
}
