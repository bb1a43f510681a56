package seal

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ParseKey decodes a base64 key of 32 bytes, as given by a flag.
func ParseKey(s string) (Key, error) {
	var k Key
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != len(k) {
		return k, errors.New("seal: a key is 32 bytes in base64 (44 characters)")
	}
	copy(k[:], b)
	return k, nil
}

// LoadOrCreate reads the key in the file at path, creating the file with a
// new random key (mode 0600, synced) if there is none.
func LoadOrCreate(path string) (Key, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := ParseKey(string(trimSpace(b)))
		if err != nil {
			return k, fmt.Errorf("%s: %w", path, err)
		}
		return k, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return Key{}, err
	}
	k := NewKey()
	if err := writeSynced(path, []byte(base64.StdEncoding.EncodeToString(k[:])+"\n")); err != nil {
		return Key{}, err
	}
	return k, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

// writeSynced creates path with data durably: written to a temporary file,
// synced, renamed into place, and the directory synced.
func writeSynced(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".key-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		return err // another process made the key first: it wins
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
