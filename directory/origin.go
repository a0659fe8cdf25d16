package directory

import "strings"

// Entries come from three kinds of origin: this instance (Origin ""),
// a partner network (Origin is the partner's host) and a Murmurations
// index (Origin is MurmurationsOriginPrefix and the index's host).
// Murmurations entries are kept apart from partner entries: the
// "partners" filter leaves them out, and nothing of ours federates them.

// OriginMurmurations filters the entries imported from Murmurations
// indexes (any index).
const OriginMurmurations = "murmurations"

// MurmurationsOriginPrefix starts the Origin of an entry imported from a
// Murmurations index. No partner host can start so: a host has no ':'
// but before its port, which is a number.
const MurmurationsOriginPrefix = "murmurations:"

// The kinds of origin, as OriginKind names them.
const (
	OriginKindLocal        = "local"
	OriginKindPartner      = "partner"
	OriginKindMurmurations = "murmurations"
)

// MurmurationsOrigin is the Origin of the entries imported from the index
// at host (lower case, with its port when it has one).
func MurmurationsOrigin(host string) string {
	return MurmurationsOriginPrefix + strings.ToLower(host)
}

// IsMurmurationsOrigin reports whether origin is a Murmurations index's.
func IsMurmurationsOrigin(origin string) bool {
	return strings.HasPrefix(origin, MurmurationsOriginPrefix) && len(origin) > len(MurmurationsOriginPrefix)
}

// OriginKind says where an entry with origin comes from: OriginKindLocal,
// OriginKindPartner or OriginKindMurmurations.
func OriginKind(origin string) string {
	switch {
	case origin == "":
		return OriginKindLocal
	case IsMurmurationsOrigin(origin):
		return OriginKindMurmurations
	}
	return OriginKindPartner
}

// OriginHost is the host an entry came from: the partner's, or the
// Murmurations index's ("" for a local entry).
func OriginHost(origin string) string {
	return strings.TrimPrefix(origin, MurmurationsOriginPrefix)
}
