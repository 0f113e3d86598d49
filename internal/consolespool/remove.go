package consolespool

import (
	"errors"
	"os"
	"path/filepath"
)

// Remove deletes the spool directory dir and its files, once everything
// in it was delivered. A spool that does not exist is no error.
//
// os.RemoveAll deletes each file on Windows with
// NtSetInformationFile(FileDispositionInformationEx) and falls back to the
// older call only when told the class is not supported in one of the ways
// Windows says it; wine 8.0 answers STATUS_NOT_IMPLEMENTED ("Invalid
// function"), so there it removes nothing. The spool holds files only, so
// Remove then deletes them one by one with os.Remove (DeleteFile), which
// works there, and the directory last.
func Remove(dir string) error {
	err := os.RemoveAll(dir)
	if err == nil {
		return nil
	}
	entries, rerr := os.ReadDir(dir)
	if rerr != nil {
		return err
	}
	for _, e := range entries {
		if rmErr := os.Remove(filepath.Join(dir, e.Name())); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			return rmErr
		}
	}
	if rmErr := os.Remove(dir); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
		return rmErr
	}
	return nil
}
