// A Fedify server that coopdir's interop tests federate with
// (cmd/coopdir/interop_fedify_test.go). One actor, alice, over HTTPS at
// https://localhost:PORT; every activity her inbox receives is logged as
// Fedify parsed it, and a JSON control API under /_control/ lets the test
// make her act and ask Fedify to read documents.
//
// Usage: node peer.mjs CERT KEY (or TLS_CERT, TLS_KEY; PORT, default 0).
// It prints {"ready":true,"port":N} on stdout once it listens.
import {
  Accept, Activity, Announce, Collection, Create, Delete, Endpoints, Follow,
  Note, Object as APObject, Person, PUBLIC_COLLECTION, Reject, Undo, Update,
  createFederation, generateCryptoKeyPair, isActor,
  MemoryKvStore,
} from "@fedify/fedify";
import { lookupWebFinger } from "@fedify/fedify/webfinger";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";

const certFile = process.argv[2] ?? process.env.TLS_CERT;
const keyFile = process.argv[3] ?? process.env.TLS_KEY;
const contexts = (await import(
  new URL("./runtime/contexts.js", import.meta.resolve("@fedify/fedify"))
)).default;

const state = {
  port: 0,
  locked: false,
  keys: [],
  log: [],
  followers: new Map(), // actor id -> recipient {id, inboxId, endpoints}
  requests: new Map(), // follower id -> {follow json, actor id}
  following: new Map(), // followed actor id -> {follow id, state, json}
  notes: new Map(), // note id (last path part) -> Note
  seq: 0,
};

const federation = createFederation({ kv: new MemoryKvStore(), allowPrivateAddress: true });

federation.setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
  if (identifier !== "alice") return null;
  const keys = await ctx.getActorKeyPairs(identifier);
  return new Person({
    id: ctx.getActorUri(identifier),
    preferredUsername: identifier,
    name: "Alice Fedify",
    summary: "A Fedify test account.",
    url: ctx.getActorUri(identifier),
    inbox: ctx.getInboxUri(identifier),
    outbox: ctx.getOutboxUri(identifier),
    followers: ctx.getFollowersUri(identifier),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    publicKey: keys[0].cryptographicKey,
    assertionMethods: keys.map((k) => k.multikey),
    manuallyApprovesFollowers: state.locked,
  });
}).setKeyPairsDispatcher((_ctx, identifier) => identifier === "alice" ? state.keys : []);

federation.setOutboxDispatcher("/users/{identifier}/outbox", () => ({ items: [] }));
federation.setFollowersDispatcher("/users/{identifier}/followers", () => ({
  items: [...state.followers.values()],
}));
federation.setObjectDispatcher(Note, "/users/{identifier}/notes/{id}", (_ctx, v) =>
  state.notes.get(v.id) ?? null);

// record stores an activity as Fedify parsed it.
async function record(ctx, activity) {
  const e = {
    type: activity.constructor.name, id: activity.id?.href, actor: activity.actorId?.href,
    objectId: activity.objectId?.href,
  };
  try {
    const obj = await activity.getObject({ documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
    if (obj != null) {
      e.objectType = obj.constructor.name;
      e.objectId ??= obj.id?.href;
      e.content = obj.content?.toString();
      e.name = obj.name?.toString();
      e.inReplyTo = obj.replyTargetId?.href;
      if (obj instanceof Activity) e.innerObjectId = obj.objectId?.href;
    }
  } catch (err) {
    e.objectError = String(err);
  }
  e.json = await activity.toJsonLd({ contextLoader: ctx.contextLoader });
  state.log.push(e);
  return e;
}

federation.setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    await record(ctx, follow);
    const follower = await follow.getActor(ctx);
    if (follower == null || follow.objectId?.href !== ctx.getActorUri("alice").href) return;
    state.requests.set(follower.id.href, { follow, follower });
    if (!state.locked) await acceptRequest(ctx, follower.id.href);
  })
  .on(Accept, async (ctx, accept) => {
    const e = await record(ctx, accept);
    answered(e, "accepted");
  })
  .on(Reject, async (ctx, reject) => {
    const e = await record(ctx, reject);
    answered(e, "rejected");
  })
  .on(Undo, async (ctx, undo) => {
    const e = await record(ctx, undo);
    if (e.objectType === "Follow") state.followers.delete(e.actor);
  })
  .on(Create, record).on(Update, record).on(Delete, record).on(Announce, record)
  .on(Activity, record)
  .onError((_ctx, err) => console.error("inbox error:", err));

// answered marks the follow that an Accept or Reject answers.
function answered(e, how) {
  for (const f of state.following.values()) {
    if (f.actor === e.actor && (e.innerObjectId == null || e.innerObjectId === f.id || e.objectId === f.id)) f.state = how;
  }
}

// acceptRequest makes alice accept the pending follow of follower.
async function acceptRequest(ctx, follower) {
  const r = state.requests.get(follower);
  if (r == null) throw new Error(`no follow request from ${follower}`);
  state.requests.delete(follower);
  const actor = r.follower;
  state.followers.set(follower, { id: actor.id, inboxId: actor.inboxId, endpoints: actor.endpoints });
  const accept = new Accept({ id: newId(ctx, "accept"), actor: ctx.getActorUri("alice"), object: r.follow, to: actor.id });
  await ctx.sendActivity({ identifier: "alice" }, actor, accept);
  return { id: accept.id.href };
}

function newId(ctx, what) {
  return new URL(`/activities/${what}-${++state.seq}-${Date.now()}`, ctx.origin);
}

// lookup finds an account by handle with Fedify and checks WebFinger back
// from the actor's preferredUsername and host, as lookupObject does not.
async function lookupAccount(ctx, account) {
  const actor = await ctx.lookupObject(account);
  if (!isActor(actor)) throw new Error(`lookupObject(${account}) gave ${actor?.constructor.name ?? "null"}`);
  const back = `acct:${actor.preferredUsername}@${actor.id.host}`;
  const jrd = await lookupWebFinger(back, { allowPrivateAddress: true });
  const self = jrd?.links?.find((l) => l.rel === "self")?.href;
  if (self !== actor.id.href) throw new Error(`WebFinger of ${back} names ${self}, not ${actor.id.href}`);
  return actor;
}

const control = {
  "GET /_control/log": () => ({ items: state.log }),
  "GET /_control/following": () => ({ items: [...state.following.values()].map(({ json, ...f }) => f) }),
  "GET /_control/requests": () => ({ items: [...state.requests.keys()] }),
  "GET /_control/followers": () => ({ items: [...state.followers.keys()] }),
  "POST /_control/lock": (_ctx, b) => { state.locked = !!b.locked; return { locked: state.locked }; },
  "POST /_control/accept": (ctx, b) => acceptRequest(ctx, b.follower),
  "POST /_control/follow": async (ctx, b) => {
    const actor = await lookupAccount(ctx, b.account);
    const follow = new Follow({ id: newId(ctx, "follow"), actor: ctx.getActorUri("alice"), object: actor.id, to: actor.id });
    state.following.set(actor.id.href, { id: follow.id.href, actor: actor.id.href, state: "pending", follow });
    await ctx.sendActivity({ identifier: "alice" }, actor, follow);
    return { id: follow.id.href, actor: actor.id.href, type: actor.constructor.name };
  },
  "POST /_control/unfollow": async (ctx, b) => {
    const f = state.following.get(b.actor);
    if (f == null) throw new Error(`alice does not follow ${b.actor}`);
    const actor = await ctx.lookupObject(b.actor);
    const undo = new Undo({ id: new URL(f.id + "/undo"), actor: ctx.getActorUri("alice"), object: f.follow, to: actor.id });
    await ctx.sendActivity({ identifier: "alice" }, actor, undo);
    state.following.delete(b.actor);
    return { id: undo.id.href };
  },
  "POST /_control/post": async (ctx, b) => {
    const note = newNote(ctx, b.content, null, [PUBLIC_COLLECTION], [ctx.getFollowersUri("alice")]);
    const create = new Create({ id: new URL(note.id.href + "/create"), actor: note.attributionId, object: note, tos: note.toIds, ccs: note.ccIds });
    await ctx.sendActivity({ identifier: "alice" }, "followers", create);
    return { id: note.id.href };
  },
  "POST /_control/reply": async (ctx, b) => {
    const target = await ctx.lookupObject(b.inReplyTo);
    const author = await target?.getAttribution?.();
    if (!isActor(author)) throw new Error(`cannot find the author of ${b.inReplyTo}`);
    const note = newNote(ctx, b.content, target.id, [PUBLIC_COLLECTION, author.id], []);
    const create = new Create({ id: new URL(note.id.href + "/create"), actor: note.attributionId, object: note, tos: note.toIds });
    await ctx.sendActivity({ identifier: "alice" }, author, create);
    return { id: note.id.href };
  },
  "POST /_control/lookup": (ctx, b) => parseRemote(ctx, b.url),
  "POST /_control/collection": (ctx, b) => walkCollection(ctx, b.url),
  "POST /_control/parse": (_ctx, b) => parseDocument(b),
};

function newNote(ctx, content, inReplyTo, tos, ccs) {
  const id = `${++state.seq}`;
  const note = new Note({
    id: ctx.getObjectUri(Note, { identifier: "alice", id }), attribution: ctx.getActorUri("alice"),
    content, replyTarget: inReplyTo, tos, ccs,
  });
  state.notes.set(id, note);
  return note;
}

// describe is what the control API says of a parsed object.
async function describe(obj) {
  return { type: obj.constructor.name, id: obj.id?.href ?? null, json: await obj.toJsonLd({ contextLoader: strictContexts }) };
}

// parseRemote fetches url with Fedify's document loader and parses it with
// its vocabulary; an error is an answer too.
async function parseRemote(ctx, url) {
  try {
    const { document } = await ctx.documentLoader(url);
    return await describe(await APObject.fromJsonLd(document, { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader }));
  } catch (err) {
    return { error: String(err) };
  }
}

// walkCollection reads a collection and each of its pages, from first by
// next, and the items of each, as Fedify reads them.
async function walkCollection(ctx, url) {
  const opts = { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader };
  const out = { pages: [] };
  try {
    const c = await APObject.fromJsonLd((await ctx.documentLoader(url)).document, opts);
    if (!(c instanceof Collection)) throw new Error(`${url} is a ${c.constructor.name}`);
    Object.assign(out, { type: c.constructor.name, totalItems: c.totalItems });
    let page = await c.getFirst(opts);
    for (let n = 0; page != null && n < 100; n++) {
      const items = [];
      for await (const it of page.getItems(opts)) {
        items.push({ type: it.constructor.name, id: it.id?.href, objectId: it.objectId?.href ?? null });
      }
      out.pages.push({ type: page.constructor.name, id: page.id?.href, items });
      page = await page.getNext(opts);
    }
  } catch (err) {
    out.error = String(err);
  }
  return out;
}

// strictContexts loads only the contexts Fedify preloads, as a Fedify
// server that never fetches an unknown context URL.
async function strictContexts(url) {
  if (url in contexts) return { contextUrl: null, document: contexts[url], documentUrl: url };
  throw new Error(`context ${url} is not preloaded`);
}

async function parseDocument(doc) {
  try {
    const loader = (u) => u in contexts ? strictContexts(u) : Promise.reject(new Error(`no fetching ${u}`));
    return await describe(await APObject.fromJsonLd(doc, { documentLoader: loader, contextLoader: strictContexts }));
  } catch (err) {
    return { error: String(err) };
  }
}

async function handleControl(req, body, ctx) {
  const route = control[`${req.method} ${new URL(req.url, ctx.origin).pathname}`];
  if (route == null) return new Response("no such control call\n", { status: 404 });
  try {
    const out = await route(ctx, body.length ? JSON.parse(body) : {});
    return Response.json(out);
  } catch (err) {
    console.error(`${req.method} ${req.url}:`, err);
    return Response.json({ error: String(err?.stack ?? err) }, { status: 500 });
  }
}

async function serve(req, res) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const body = Buffer.concat(chunks);
  const url = `https://${req.headers.host}${req.url}`;
  let response;
  if (req.url.startsWith("/_control/")) {
    response = await handleControl(req, body.toString(), federation.createContext(new URL(url), undefined));
  } else {
    const request = new Request(url, {
      method: req.method, headers: Object.entries(req.headers).filter(([, v]) => v != null).map(([k, v]) => [k, String(v)]),
      body: ["GET", "HEAD"].includes(req.method) ? undefined : body,
    });
    response = await federation.fetch(request, { contextData: undefined });
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

state.keys = [await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"), await generateCryptoKeyPair("Ed25519")];
const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
  serve(req, res).catch((err) => {
    console.error(err);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  state.port = server.address().port;
  console.log(JSON.stringify({ ready: true, port: state.port }));
});
