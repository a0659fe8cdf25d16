// Package ap builds, encodes, checks and parses the ActivityStreams
// documents coopdir sends and serves: actors, objects, activities and
// collections, each with the @context that defines every extension term it
// uses. It is the only package that imports go-fed/activity, so the
// vocabulary library can be swapped by changing this folder alone.
//
// The builders take plain values (ids, addresses, texts, times) and know
// nothing of enterprises or listings: federation maps the directory's nouns
// onto them and decides who sends what to whom.
package ap
