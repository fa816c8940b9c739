// Package atomicfile writes files that a reader, or a crash, never sees
// half written.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write replaces path with data, mode perm: it writes a temporary file in
// the same directory (made 0700 when missing), flushes it to disk, and
// renames it over path. A reader sees the old file or the new one, never
// part of one; after a crash or a power cut path holds one of the two; on
// an error path is left as it was and no temporary file remains.
func Write(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // harmless after the rename
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	// Without the sync, a power cut soon after the rename can leave path
	// empty on file systems that write the data after the metadata.
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
