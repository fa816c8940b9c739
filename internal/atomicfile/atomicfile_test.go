package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name   string
		before []byte // nil: no file before
		perm   os.FileMode
	}{
		{"new file, private", nil, 0o600},
		{"replaces a file, public", []byte("old contents, longer than the new"), 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "sub") // made by Write
			path := filepath.Join(dir, "f.json")
			if tt.before != nil {
				if err := os.MkdirAll(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, tt.before, 0o666); err != nil {
					t.Fatal(err)
				}
			}
			if err := Write(path, []byte("new"), tt.perm); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil || string(got) != "new" {
				t.Errorf("contents %q, %v; want new", got, err)
			}
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != tt.perm {
				t.Errorf("mode %v, %v; want %v", fi.Mode().Perm(), err, tt.perm)
			}
			if fi, err := os.Stat(dir); err != nil || (tt.before == nil && fi.Mode().Perm() != 0o700) {
				t.Errorf("dir mode %v, %v; want 0700", fi.Mode().Perm(), err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("%d entries in the dir, want only the file (no temporary left)", len(entries))
			}
		})
	}
}

// TestWriteFailureLeavesTheFile: when the new file cannot be made, the old
// one is untouched.
func TestWriteFailureLeavesTheFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only directories")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	if err := Write(path, []byte("new"), 0o600); err == nil {
		t.Fatal("Write into a read-only directory succeeded")
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("contents %q after a failed write, want old", got)
	}
}

// TestWriteOverADirectoryFails: path being a directory is an error, and
// the directory stays.
func TestWriteOverADirectoryFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d")
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("x"), 0o600); err == nil {
		t.Fatal("Write over a directory succeeded")
	}
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		t.Errorf("the directory is gone: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("%d entries, want the directory alone (no temporary left)", len(entries))
	}
}
