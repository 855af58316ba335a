package dockerd

import (
	"io"
	"os"
	"path/filepath"
)

// CopyIntoContext copies the file src (following symbolic links) to dst in
// an image's build context, keeping its mode bits and making dst's
// directory: how a launcher lays out a scratch image's files before
// [BuildImage].
func CopyIntoContext(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
