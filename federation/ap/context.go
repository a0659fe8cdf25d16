package ap

// JSON-LD contexts and namespaces of the documents we publish.
const (
	// ActivityStreamsContext is the ActivityStreams 2.0 context, which every
	// document we publish names first.
	ActivityStreamsContext = "https://www.w3.org/ns/activitystreams"
	// SecurityContext defines publicKey, owner and publicKeyPem.
	SecurityContext = "https://w3id.org/security/v1"
	// Public is the special collection that addresses everyone.
	Public = "https://www.w3.org/ns/activitystreams#Public"
	// Namespace holds coopdir's own terms (status, demo, listing categories).
	// It points into FEDERATION.md, where each term is described.
	Namespace = "https://github.com/coopdir/coopdir/blob/main/FEDERATION.md#"
	// ValueFlowsNamespace and UnitsNamespace are the vocabularies of FEP-0837.
	ValueFlowsNamespace = "https://w3id.org/valueflows/ont/vf#"
	UnitsNamespace      = "http://www.ontology-of-units-of-measure.org/resource/om-2/"
)

// prefixes are the namespaces that extension terms are written against.
var prefixes = map[string]string{
	"toot":    "http://joinmastodon.org/ns#",
	"schema":  "http://schema.org#",
	"vf":      ValueFlowsNamespace,
	"om2":     UnitsNamespace,
	"coopdir": Namespace,
	"gts":     "https://gotosocial.org/ns#",
	"fep044f": "https://w3id.org/fep/044f#",
	"wf":      "https://purl.archive.org/socialweb/webfinger#",
}

// term is the inline definition of one extension term and the prefix it needs.
type term struct {
	prefix string
	def    any
}

func idTerm(prefix, iri string) term {
	return term{prefix, map[string]any{"@id": iri, "@type": "@id"}}
}

// terms defines every property or type we use that the ActivityStreams and
// security contexts do not. Mastodon's own terms are spelled as Mastodon
// spells them, so that it and Fedify-based servers read them without
// fetching anything.
var terms = map[string]term{
	"manuallyApprovesFollowers": {"", "as:manuallyApprovesFollowers"},
	"sensitive":                 {"", "as:sensitive"},
	"Hashtag":                   {"", "as:Hashtag"},
	"featured":                  idTerm("toot", "toot:featured"),
	"discoverable":              {"toot", "toot:discoverable"},
	"indexable":                 {"toot", "toot:indexable"},
	"PropertyValue":             {"schema", "schema:PropertyValue"},
	"value":                     {"schema", "schema:value"},
	"Proposal":                  {"vf", "vf:Proposal"},
	"Intent":                    {"vf", "vf:Intent"},
	"purpose":                   {"vf", "vf:purpose"},
	"publishes":                 {"vf", "vf:publishes"},
	"unitBased":                 {"vf", "vf:unitBased"},
	"action":                    {"vf", "vf:action"},
	"resourceConformsTo":        idTerm("vf", "vf:resourceConformsTo"),
	"resourceQuantity":          {"vf", "vf:resourceQuantity"},
	"provider":                  idTerm("vf", "vf:provider"),
	"receiver":                  idTerm("vf", "vf:receiver"),
	"Agreement":                 {"vf", "vf:Agreement"},
	"Commitment":                {"vf", "vf:Commitment"},
	"stipulates":                {"vf", "vf:stipulates"},
	"stipulatesReciprocal":      {"vf", "vf:stipulatesReciprocal"},
	"satisfies":                 idTerm("vf", "vf:satisfies"),
	"hasUnit":                   {"om2", "om2:hasUnit"},
	"hasNumericalValue":         {"om2", "om2:hasNumericalValue"},
	"status":                    {"coopdir", "coopdir:status"},
	"demo":                      {"coopdir", "coopdir:demo"},
	"network":                   idTerm("coopdir", "coopdir:network"),
	"kind":                      {"coopdir", "coopdir:kind"},
	"sectors":                   {"coopdir", "coopdir:sectors"},
	"languages":                 {"coopdir", "coopdir:languages"},
	"website":                   idTerm("coopdir", "coopdir:website"),
	"email":                     {"coopdir", "coopdir:email"},
	"phone":                     {"coopdir", "coopdir:phone"},
	"founded":                   {"coopdir", "coopdir:founded"},
	"governance":                {"coopdir", "coopdir:governance"},
	"membership":                {"coopdir", "coopdir:membership"},
	// FEP-2c59: the actor's acct: address.
	"webfinger": {"wf", map[string]any{"@id": "wf:webfinger", "@type": "http://www.w3.org/2001/XMLSchema#string"}},
	// FEP-044f quote posts, with GoToSocial's interaction policy terms.
	"interactionPolicy":  idTerm("gts", "gts:interactionPolicy"),
	"canQuote":           idTerm("gts", "gts:canQuote"),
	"canReply":           idTerm("gts", "gts:canReply"),
	"canLike":            idTerm("gts", "gts:canLike"),
	"canAnnounce":        idTerm("gts", "gts:canAnnounce"),
	"automaticApproval":  idTerm("gts", "gts:automaticApproval"),
	"always":             idTerm("gts", "gts:always"),
	"interactingObject":  idTerm("gts", "gts:interactingObject"),
	"interactionTarget":  idTerm("gts", "gts:interactionTarget"),
	"QuoteRequest":       {"fep044f", "fep044f:QuoteRequest"},
	"QuoteAuthorization": {"fep044f", "fep044f:QuoteAuthorization"},
}

// ContextFor returns the @context of doc: the ActivityStreams context, the
// security context when the document carries a public key, and one inline
// object defining exactly the extension terms doc uses (as property names or
// as type names) with their prefixes. Servers that never fetch an unknown
// context still understand every term. A document of plain ActivityStreams
// gets the bare context URL, as Mastodon writes it.
func ContextFor(doc map[string]any) any {
	used := map[string]bool{}
	collectTerms(doc, used)
	ctx := []any{ActivityStreamsContext}
	if used["publicKey"] {
		ctx = append(ctx, SecurityContext)
	}
	defs := map[string]any{}
	for name := range used {
		t, ok := terms[name]
		if !ok {
			continue
		}
		defs[name] = t.def
		if t.prefix != "" {
			defs[t.prefix] = prefixes[t.prefix]
		}
	}
	if len(defs) > 0 {
		ctx = append(ctx, defs)
	}
	if len(ctx) == 1 {
		return ActivityStreamsContext
	}
	return ctx
}

// collectTerms records every property name and every type name in v.
func collectTerms(v any, used map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "@context" {
				continue
			}
			used[k] = true
			if langMaps[k] {
				continue // its keys are language tags, not terms
			}
			if k == "type" {
				if s, ok := val.(string); ok {
					used[s] = true
				}
			}
			collectTerms(val, used)
		}
	case []any:
		for _, e := range x {
			collectTerms(e, used)
		}
	case []map[string]any:
		for _, e := range x {
			collectTerms(e, used)
		}
	}
}
