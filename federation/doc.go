// Package federation publishes the directory over ActivityPub and takes part in
// the fediverse: actors, discovery (WebFinger, NodeInfo), HTTP signatures on
// every request in and out, and one outgoing HTTP client that refuses private
// addresses, caps sizes and times out.
//
// The security rules live in keys.go (RSA keys and sealed private keys),
// signature.go (signing and verifying requests), origin.go (comparing URLs by
// origin) and client.go (the outgoing client).
//
// The ActivityStreams documents themselves are built, encoded, checked and
// parsed by the subpackage ap, the only one that imports go-fed/activity;
// this package decides what each of its actors sends and to whom.
package federation
