// Package migrations embeds the numbered SQL migrations of each storage
// engine. They are applied with goose by the engine packages. From 00009
// on, the same change has the same number and name on both engines; the
// numbers before it diverge, and stay as deployed databases recorded them
// (migrations_test.go lists them).
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
