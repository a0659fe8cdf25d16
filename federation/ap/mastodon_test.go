package ap

// Documents as Mastodon 4 sends them, written after its documentation
// ("ActivityPub", "Security") and the shapes its serializers produce: the
// inline @context, nulls, contentMap, atomUri and conversation, the replies
// collection, and a Linked Data signature we do not use.

const mastodonFollow = `{
  "@context": "https://www.w3.org/ns/activitystreams",
  "id": "https://mastodon.example/4f1c2a8e-6b7d-4f5e-9a0b-1c2d3e4f5a6b",
  "type": "Follow",
  "actor": "https://mastodon.example/users/alice",
  "object": "https://coop.example/enterprises/shakyhands"
}`

const mastodonUndoFollow = `{
  "@context": "https://www.w3.org/ns/activitystreams",
  "id": "https://mastodon.example/users/alice#follows/4021/undo",
  "type": "Undo",
  "actor": "https://mastodon.example/users/alice",
  "object": {
    "id": "https://mastodon.example/4f1c2a8e-6b7d-4f5e-9a0b-1c2d3e4f5a6b",
    "type": "Follow",
    "actor": "https://mastodon.example/users/alice",
    "object": "https://coop.example/enterprises/shakyhands"
  }
}`

const mastodonAccept = `{
  "@context": "https://www.w3.org/ns/activitystreams",
  "id": "https://mastodon.example/users/alice#accepts/follows/4022",
  "type": "Accept",
  "actor": "https://mastodon.example/users/alice",
  "object": {
    "id": "https://coop.example/activities/follow-8d5e5f8a",
    "type": "Follow",
    "actor": "https://coop.example/actor",
    "object": "https://mastodon.example/users/alice"
  }
}`

const mastodonCreateNote = `{
  "@context": [
    "https://www.w3.org/ns/activitystreams",
    {
      "ostatus": "http://ostatus.org#",
      "atomUri": "ostatus:atomUri",
      "inReplyToAtomUri": "ostatus:inReplyToAtomUri",
      "conversation": "ostatus:conversation",
      "sensitive": "as:sensitive",
      "toot": "http://joinmastodon.org/ns#",
      "votersCount": "toot:votersCount",
      "Hashtag": "as:Hashtag"
    }
  ],
  "id": "https://mastodon.example/users/alice/statuses/112233445566778899/activity",
  "type": "Create",
  "actor": "https://mastodon.example/users/alice",
  "published": "2026-03-01T10:00:00Z",
  "to": ["https://www.w3.org/ns/activitystreams#Public"],
  "cc": ["https://mastodon.example/users/alice/followers", "https://coop.example/enterprises/shakyhands"],
  "object": {
    "id": "https://mastodon.example/users/alice/statuses/112233445566778899",
    "type": "Note",
    "summary": null,
    "inReplyTo": null,
    "published": "2026-03-01T10:00:00Z",
    "url": "https://mastodon.example/@alice/112233445566778899",
    "attributedTo": "https://mastodon.example/users/alice",
    "to": ["https://www.w3.org/ns/activitystreams#Public"],
    "cc": ["https://mastodon.example/users/alice/followers", "https://coop.example/enterprises/shakyhands"],
    "sensitive": false,
    "atomUri": "https://mastodon.example/users/alice/statuses/112233445566778899",
    "inReplyToAtomUri": null,
    "conversation": "tag:mastodon.example,2026-03-01:objectId=998877:objectType=Conversation",
    "content": "<p><span class=\"h-card\" translate=\"no\"><a href=\"https://coop.example/enterprises/shakyhands\" class=\"u-url mention\">@<span>shakyhands</span></a></span> can I book the oven? <a href=\"https://mastodon.example/tags/coops\" class=\"mention hashtag\" rel=\"tag\">#<span>coops</span></a></p>",
    "contentMap": {
      "en": "<p><span class=\"h-card\" translate=\"no\"><a href=\"https://coop.example/enterprises/shakyhands\" class=\"u-url mention\">@<span>shakyhands</span></a></span> can I book the oven? <a href=\"https://mastodon.example/tags/coops\" class=\"mention hashtag\" rel=\"tag\">#<span>coops</span></a></p>"
    },
    "attachment": [],
    "tag": [
      {"type": "Mention", "href": "https://coop.example/enterprises/shakyhands", "name": "@shakyhands@coop.example"},
      {"type": "Hashtag", "href": "https://mastodon.example/tags/coops", "name": "#coops"}
    ],
    "replies": {
      "id": "https://mastodon.example/users/alice/statuses/112233445566778899/replies",
      "type": "Collection",
      "first": {
        "type": "CollectionPage",
        "next": "https://mastodon.example/users/alice/statuses/112233445566778899/replies?only_other_accounts=true&page=true",
        "partOf": "https://mastodon.example/users/alice/statuses/112233445566778899/replies",
        "items": []
      }
    },
    "likes": {"id": "https://mastodon.example/users/alice/statuses/112233445566778899/likes", "type": "Collection", "totalItems": 0},
    "shares": {"id": "https://mastodon.example/users/alice/statuses/112233445566778899/shares", "type": "Collection", "totalItems": 0}
  },
  "signature": {
    "type": "RsaSignature2017",
    "creator": "https://mastodon.example/users/alice#main-key",
    "created": "2026-03-01T10:00:01Z",
    "signatureValue": "aGVsbG8gd29ybGQ="
  }
}`

const mastodonUpdatePerson = `{
  "@context": [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {
      "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
      "toot": "http://joinmastodon.org/ns#",
      "featured": {"@id": "toot:featured", "@type": "@id"},
      "featuredTags": {"@id": "toot:featuredTags", "@type": "@id"},
      "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
      "movedTo": {"@id": "as:movedTo", "@type": "@id"},
      "schema": "http://schema.org#",
      "PropertyValue": "schema:PropertyValue",
      "value": "schema:value",
      "discoverable": "toot:discoverable",
      "suspended": "toot:suspended",
      "memorial": "toot:memorial",
      "indexable": "toot:indexable",
      "attributionDomains": {"@id": "toot:attributionDomains", "@type": "@id"},
      "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"}
    }
  ],
  "id": "https://mastodon.example/users/alice#updates/1741000000",
  "type": "Update",
  "actor": "https://mastodon.example/users/alice",
  "to": ["https://www.w3.org/ns/activitystreams#Public"],
  "object": {
    "id": "https://mastodon.example/users/alice",
    "type": "Person",
    "following": "https://mastodon.example/users/alice/following",
    "followers": "https://mastodon.example/users/alice/followers",
    "inbox": "https://mastodon.example/users/alice/inbox",
    "outbox": "https://mastodon.example/users/alice/outbox",
    "featured": "https://mastodon.example/users/alice/collections/featured",
    "featuredTags": "https://mastodon.example/users/alice/collections/tags",
    "preferredUsername": "alice",
    "name": "Alice",
    "summary": "<p>Baker, co-op member.</p>",
    "url": "https://mastodon.example/@alice",
    "manuallyApprovesFollowers": false,
    "discoverable": true,
    "indexable": true,
    "published": "2024-05-02T00:00:00Z",
    "memorial": false,
    "attributionDomains": [],
    "devices": "https://mastodon.example/users/alice/collections/devices",
    "publicKey": {
      "id": "https://mastodon.example/users/alice#main-key",
      "owner": "https://mastodon.example/users/alice",
      "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA3vIIEfn5BWd21/Co1sNS\n-----END PUBLIC KEY-----\n"
    },
    "tag": [],
    "attachment": [
      {"type": "PropertyValue", "name": "Pronouns", "value": "she/her"},
      {"type": "PropertyValue", "name": "Site", "value": "<a href=\"https://alice.example\" target=\"_blank\" rel=\"nofollow noopener me\" translate=\"no\"><span class=\"invisible\">https://</span><span class=\"\">alice.example</span><span class=\"invisible\"></span></a>"}
    ],
    "endpoints": {"sharedInbox": "https://mastodon.example/inbox"},
    "icon": {"type": "Image", "mediaType": "image/png", "url": "https://files.mastodon.example/accounts/avatars/alice.png"},
    "image": {"type": "Image", "mediaType": "image/jpeg", "url": "https://files.mastodon.example/accounts/headers/alice.jpg", "focalPoint": [0.0, 0.0]}
  },
  "signature": {
    "type": "RsaSignature2017",
    "creator": "https://mastodon.example/users/alice#main-key",
    "created": "2026-03-03T11:00:00Z",
    "signatureValue": "aGVsbG8gd29ybGQ="
  }
}`

const mastodonDeleteNote = `{
  "@context": [
    "https://www.w3.org/ns/activitystreams",
    {"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri"}
  ],
  "id": "https://mastodon.example/users/alice/statuses/112233445566778899#delete",
  "type": "Delete",
  "actor": "https://mastodon.example/users/alice",
  "to": ["https://www.w3.org/ns/activitystreams#Public"],
  "object": {
    "id": "https://mastodon.example/users/alice/statuses/112233445566778899",
    "type": "Tombstone",
    "atomUri": "https://mastodon.example/users/alice/statuses/112233445566778899"
  },
  "signature": {
    "type": "RsaSignature2017",
    "creator": "https://mastodon.example/users/alice#main-key",
    "created": "2026-03-04T09:00:00Z",
    "signatureValue": "aGVsbG8gd29ybGQ="
  }
}`

const mastodonDeleteAccount = `{
  "@context": "https://www.w3.org/ns/activitystreams",
  "id": "https://mastodon.example/users/alice#delete",
  "type": "Delete",
  "actor": "https://mastodon.example/users/alice",
  "to": ["https://www.w3.org/ns/activitystreams#Public"],
  "object": "https://mastodon.example/users/alice",
  "signature": {
    "type": "RsaSignature2017",
    "creator": "https://mastodon.example/users/alice#main-key",
    "created": "2026-03-05T09:00:00Z",
    "signatureValue": "aGVsbG8gd29ybGQ="
  }
}`

const mastodonBoost = `{
  "@context": "https://www.w3.org/ns/activitystreams",
  "id": "https://mastodon.example/users/alice/statuses/112233445566778900/activity",
  "type": "Announce",
  "actor": "https://mastodon.example/users/alice",
  "published": "2026-03-02T08:00:00Z",
  "to": ["https://www.w3.org/ns/activitystreams#Public"],
  "cc": ["https://coop.example/enterprises/shakyhands", "https://mastodon.example/users/alice/followers"],
  "object": "https://coop.example/announcements/7"
}`

// proofCreateNote carries an FEP-8b32 integrity proof, as Mitra and others
// send, which we ignore.
const proofCreateNote = `{
  "@context": [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/data-integrity/v1"
  ],
  "id": "https://mitra.example/activities/create/0190d1a2",
  "type": "Create",
  "actor": "https://mitra.example/users/bob",
  "to": ["https://www.w3.org/ns/activitystreams#Public"],
  "object": {
    "id": "https://mitra.example/objects/0190d1a2",
    "type": "Note",
    "attributedTo": "https://mitra.example/users/bob",
    "content": "<p>hello</p>",
    "to": ["https://www.w3.org/ns/activitystreams#Public"]
  },
  "proof": {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "verificationMethod": "https://mitra.example/users/bob#ed25519-key",
    "proofPurpose": "assertionMethod",
    "proofValue": "z3sXaxjKs4M3BRicwWA9peyNPJvJqxtGsDmpt1jjoHCjgeUf71TRFz56osPSfDErszyLp5Ks1EhYSgpDaNM977Rg6",
    "created": "2026-03-06T12:00:00Z"
  }
}`
