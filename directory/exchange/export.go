package exchange

import (
	"context"
	"io"

	"github.com/coopdir/coopdir/directory"
)

// Exporter is what Export needs of the directory: *directory.Service.
type Exporter interface {
	ExportEnterprises(ctx context.Context, fn func(*directory.Enterprise) error) error
}

var _ Exporter = (*directory.Service)(nil)

// Export writes every local enterprise of dir, ordered by handle, to w in
// format f: JSON (WriteJSON) or CSV (WriteCSV). EINVALID for another format.
func Export(ctx context.Context, w io.Writer, dir Exporter, f Format) error {
	all := func(fn func(*directory.Enterprise) error) error { return dir.ExportEnterprises(ctx, fn) }
	switch f {
	case JSON:
		return WriteJSON(w, all)
	case CSV:
		return WriteCSV(w, all)
	}
	return directory.Errorf(directory.EINVALID, "%q is not json or csv", string(f))
}
