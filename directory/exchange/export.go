package exchange

import (
	"context"
	"io"

	"github.com/coopdir/coopdir/directory"
)

// Exporter is what Export needs of the directory: *directory.Service.
type Exporter interface {
	ExportEnterprises(ctx context.Context, fn func(*directory.Enterprise) error) error
	ExportDirectory(ctx context.Context, sink directory.ExportSink) error
}

var _ Exporter = (*directory.Service)(nil)

// Export writes to w, in format f, what one file of that format holds: in
// JSON the whole local directory (WriteDirectoryJSON), in CSV the local
// enterprises, ordered by handle (WriteCSV; ExportTables writes every
// table), in SEA CSV the same (WriteSEA). EINVALID for another format.
func Export(ctx context.Context, w io.Writer, dir Exporter, f Format) error {
	switch f {
	case JSON:
		return WriteDirectoryJSON(w, func(sink directory.ExportSink) error { return dir.ExportDirectory(ctx, sink) })
	case CSV:
		return WriteCSV(w, func(fn func(*directory.Enterprise) error) error { return dir.ExportEnterprises(ctx, fn) })
	case SEACSV:
		return WriteSEA(w, func(fn func(*directory.Enterprise) error) error { return dir.ExportEnterprises(ctx, fn) })
	}
	return directory.Errorf(directory.EINVALID, "%q is not %s", string(f), formatsText)
}

// ExportTables writes the whole local directory as the CSV tables of
// Tables, each opened through open.
func ExportTables(ctx context.Context, open CSVTablesWriter, dir Exporter) error {
	return WriteCSVTables(open, func(sink directory.ExportSink) error { return dir.ExportDirectory(ctx, sink) })
}
