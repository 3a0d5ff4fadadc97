// 庭院's service worker: a cadre's phone keeps what a visit needs where the signal is gone.
//  - the app's bundles and stylesheets (the build manifest names them all) and the reader's dictionary file,
//    cache first: their names change with their content;
//  - the pages a cadre works from, once visited: the worklist, each household, each check form (the page and
//    its single-fetch data), network first, the kept copy when the network fails or hangs;
//  - nothing of anyone else: the pages go on the sign-in page, on another user (the page tells us), and on
//    sign-out (Clear-Site-Data); a household no longer the cadre's goes when the worklist says so.
// Registered only for cadres (app/offline/session.ts). Plain JavaScript served as it is: no build step.

const PAGES = "pages";
const SHELL = "shell-";
/** how many builds' bundles are kept: pages cached under the last build still find theirs */
const SHELLS_KEPT = 2;
/** a page that has not started to arrive by then comes from the phone, if it has a copy */
const PAGE_WAIT_MS = 6000;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const KEPT_PAGE = new RegExp(`^/(?:households/(${UUID})(?:/checks/new)?)?$`);

/** The page a request is for: a single-fetch data URL names its page with `.data` (the home page as `/_root`). */
function pageOf(url) {
  if (url.pathname === "/_root.data") return "/";
  return url.pathname.endsWith(".data") ? url.pathname.slice(0, -".data".length) : url.pathname;
}

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "precache") event.waitUntil(precache(message.manifest, message.extra || []));
  if (message.type === "forget") event.waitUntil(caches.delete(PAGES));
  if (message.type === "keep") event.waitUntil(keepOnly(new Set(message.households || [])));
});

/** Every bundle and stylesheet the build's manifest names, in a cache of that build. */
async function precache(manifestUrl, extra) {
  if (typeof manifestUrl !== "string" || !manifestUrl.startsWith("/build/")) return;
  const name = SHELL + manifestUrl;
  const cache = await caches.open(name);
  if (!(await cache.match(manifestUrl))) {
    const response = await fetch(manifestUrl);
    if (!response.ok) return;
    const text = await response.clone().text();
    const manifest = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1));
    const urls = new Set([manifest.entry.module, ...manifest.entry.imports, ...extra]);
    for (const route of Object.values(manifest.routes)) {
      for (const url of [route.module, ...(route.imports || []), ...(route.css || [])]) urls.add(url);
    }
    await cache.addAll([...urls].filter(Boolean));
    await cache.put(manifestUrl, response);
  }
  const shells = (await caches.keys()).filter((k) => k.startsWith(SHELL) && k !== name);
  await Promise.all(shells.slice(0, Math.max(0, shells.length - (SHELLS_KEPT - 1))).map((k) => caches.delete(k)));
}

/** Drops the kept pages of households not in the list. */
async function keepOnly(households) {
  const cache = await caches.open(PAGES);
  for (const request of await cache.keys()) {
    const household = KEPT_PAGE.exec(pageOf(new URL(request.url)))?.[1];
    if (household && !households.has(household)) await cache.delete(request);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === "/login") {
    // nobody is signed in: whoever signs in next does not get the last user's pages
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  // a dictionary file is named by its content like a bundle: a page kept offline still hydrates in its language
  if (url.pathname.startsWith("/build/") || url.pathname.startsWith("/i18n/")) {
    event.respondWith(fromShell(request));
    return;
  }
  const isData = url.pathname.endsWith(".data");
  if (url.pathname === "/__manifest" || (KEPT_PAGE.test(pageOf(url)) && (request.mode === "navigate" || isData))) {
    event.respondWith(networkFirst(event, request, isData));
  }
});

async function fromShell(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    const shells = (await caches.keys()).filter((k) => k.startsWith(SHELL));
    if (shells.length) await (await caches.open(shells[shells.length - 1])).put(request, response.clone());
  }
  return response;
}

async function networkFirst(event, request, isData) {
  const cache = await caches.open(PAGES);
  const kept = () =>
    cache
      .match(request)
      .then((hit) => hit || (request.mode === "navigate" ? cache.match(request, { ignoreSearch: true }) : undefined))
      .then((hit) => hit || (new URL(request.url).pathname === "/__manifest" ? routesOfBuild(request) : undefined));
  const network = fetch(request).then(async (response) => {
    // only a page as its user saw it: not a redirect (single fetch answers one with 202), not a refusal
    if (response.status === 200 && response.type === "basic" && !response.redirected) {
      await cache.put(request, response.clone());
      // a page reached by a link brought only its data: keep the page itself too, to open it offline
      if (isData) event.waitUntil(keepDocument(cache, new URL(request.url)));
    } else if (response.status === 403 || response.status === 404) {
      await cache.delete(request);
    }
    return response;
  });
  const slow = new Promise((resolve) => setTimeout(resolve, PAGE_WAIT_MS));
  const first = await Promise.race([network.catch(() => null), slow.then(() => "slow")]);
  if (first && first !== "slow") return first;
  const hit = await kept();
  if (hit) return hit;
  return network;
}

async function keepDocument(cache, dataUrl) {
  const page = new URL(pageOf(dataUrl), dataUrl);
  if (page.pathname === "/__manifest" || (await cache.match(page.href))) return;
  try {
    const response = await fetch(page.href, { credentials: "same-origin", redirect: "manual" });
    if (response.status === 200 && response.type === "basic") await cache.put(page.href, response);
  } catch {
    // offline again: it is kept on the next visit
  }
}

/**
 * Offline, the answer to the router's route lookup (`/__manifest?p=…&version=…`): every route of the page's
 * build, from the build manifest kept with its bundles. The router asks even for the page it is on (a path
 * with a parameter might have a more specific route) before it posts a form or follows a link, and a failed
 * lookup is an error page in place of the form: the check saved offline never reached the outbox. The
 * server would answer with a subset of these same routes; the full set is an answer it could give, so no
 * path is marked as looked up without its routes. Another build's page gets nothing (the network error).
 */
async function routesOfBuild(request) {
  const version = new URL(request.url).searchParams.get("version");
  for (const name of await caches.keys()) {
    if (!name.startsWith(SHELL)) continue;
    const response = await (await caches.open(name)).match(name.slice(SHELL.length));
    if (!response) continue;
    const text = await response.text();
    const manifest = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1));
    if (manifest.version !== version) continue;
    return new Response(JSON.stringify(manifest.routes), {
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  return undefined;
}
