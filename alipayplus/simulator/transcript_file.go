package simulator

import (
	"os"
	"sync"
)

// DefaultTranscriptFileBytes is how large a transcript file grows before it
// rotates (64 MiB): the file is renamed FILE.1 (replacing the previous
// FILE.1) and a new FILE begins, so the transcript takes at most twice this
// on disk.
const DefaultTranscriptFileBytes = 64 << 20

// RotatingFile is the writer of a transcript file that rotates at a size:
// when a line would take the file past its limit, the file becomes
// PATH.1 and a new PATH begins (every line stays an entry; Rotations
// counts the rotations). Lines are never split. It is safe for concurrent use.
type RotatingFile struct {
	mu    sync.Mutex
	f     *os.File
	path  string
	max   int64
	size  int64
	open  func(path string) (*os.File, error)
	count int
}

// NewRotatingFile returns a writer over f, already open for appending at
// path, that rotates once the file passes maxBytes
// (DefaultTranscriptFileBytes when maxBytes <= 0); reopen opens the new
// PATH after a rotation (nil: create it, 0600, append-only).
func NewRotatingFile(f *os.File, path string, maxBytes int64, reopen func(string) (*os.File, error)) *RotatingFile {
	if maxBytes <= 0 {
		maxBytes = DefaultTranscriptFileBytes
	}
	if reopen == nil {
		reopen = func(p string) (*os.File, error) {
			return os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		}
	}
	r := &RotatingFile{f: f, path: path, max: maxBytes, open: reopen}
	if fi, err := f.Stat(); err == nil {
		r.size = fi.Size()
	}
	return r
}

// Write appends p (one or more whole lines), rotating first when p would
// take the file past its limit.
func (r *RotatingFile) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.size > 0 && r.size+int64(len(p)) > r.max {
		if err := r.rotateLocked(); err != nil {
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

// rotateLocked renames the file PATH.1 and starts a new one; r.mu is held.
func (r *RotatingFile) rotateLocked() error {
	if err := r.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(r.path, r.path+".1"); err != nil {
		return err
	}
	f, err := r.open(r.path)
	if err != nil {
		return err
	}
	r.f, r.size = f, 0
	r.count++
	return nil
}

// Rotations is how often the file rotated.
func (r *RotatingFile) Rotations() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count
}

// Close closes the current file.
func (r *RotatingFile) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.Close()
}
