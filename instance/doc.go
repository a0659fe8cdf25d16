// Package instance assembles one running coopdir: it opens the database of
// the engine a DSN names, migrates it, loads the instance secret that seals
// the actors' keys, builds the directory's Service, the federation node and
// the web handler, listens, serves until its context ends and shuts down.
//
// The serve command and every end-to-end test start an instance the same
// way: Config, Open, Serve, Close. The admin commands use OpenDatabase and
// NewService, or an Instance opened without a listener for the commands that
// queue federation work. See docs/ARCHITECTURE.md.
package instance
