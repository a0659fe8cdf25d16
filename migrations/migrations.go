// Package migrations embeds the numbered SQL migrations of each storage
// engine. They are applied with goose by the engine packages.
package migrations

import "embed"

// Postgres holds the PostgreSQL migrations, in the folder "postgres".
//
//go:embed postgres/*.sql
var Postgres embed.FS

// SQLite holds the SQLite migrations, in the folder "sqlite".
//
//go:embed sqlite/*.sql
var SQLite embed.FS
