// The JavaScript a browser downloads for a page: the entry (with its imports) and every route from the root
// down to the page's leaf (each with its imports), read from the build's asset manifest, gzipped. One
// implementation for `npm run js-budget`, the benchmark's table and the budget test.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

export const KiB = 1024;
/** A cadre's page on a cheap phone over a slow network may ship this much gzipped JavaScript at most. */
export const CADRE_BUDGET = 120 * KiB;

/** The pages a cadre reaches (tests/integration/every-route.test.ts): the budget holds for each. */
export const CADRE_ROUTES = new Set([
  "root",
  "routes/login",
  "routes/_app",
  "routes/_app._index",
  "routes/_app.account",
  "routes/_app.households._index",
  "routes/_app.households.new",
  "routes/_app.households.$householdId._index",
  "routes/_app.households.$householdId.assignment",
  "routes/_app.households.$householdId.card",
  "routes/_app.households.$householdId.checks._index",
  "routes/_app.households.$householdId.checks.new",
  "routes/_app.households.$householdId.edit",
  "routes/_app.households.$householdId.plan",
  "routes/_app.households.$householdId.amendment",
  "routes/_app.households.$householdId.members.$memberId",
  "routes/_app.orders._index",
  "routes/_app.orders.$orderId",
  "routes/_app.points",
  "routes/_app.projects._index",
  "routes/_app.projects.$projectId",
]);

type ManifestRoute = { id: string; parentId?: string; module: string; imports?: string[]; hasLoader?: boolean };
export type AssetsManifest = {
  entry: { module: string; imports: string[] };
  routes: Record<string, ManifestRoute>;
};

/** The browser manifest the last `remix build` wrote into public/build. */
export function readManifest(root = process.cwd()): AssetsManifest {
  const dir = path.join(root, "public", "build");
  const file = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => /^manifest-.*\.js$/.test(f)) : undefined;
  if (!file) throw new Error("no build: run `npx remix build` first");
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  return JSON.parse(text.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, "")) as AssetsManifest;
}

const gzipCache = new Map<string, number>();
function gzipSize(root: string, file: string) {
  const full = path.join(root, "public", file);
  let size = gzipCache.get(full);
  if (size === undefined) {
    size = zlib.gzipSync(fs.readFileSync(full), { level: 9 }).length;
    gzipCache.set(full, size);
  }
  return size;
}

/** The files a page loads for a route and their gzipped bytes in all. */
export function javascriptOf(manifest: AssetsManifest, routeId: string, root = process.cwd()) {
  const files = new Set<string>([manifest.entry.module, ...(manifest.entry.imports ?? [])]);
  for (let id: string | undefined = routeId; id; id = manifest.routes[id]?.parentId) {
    const route = manifest.routes[id];
    if (!route) throw new Error(`no route ${id} in the build`);
    files.add(route.module);
    for (const file of route.imports ?? []) files.add(file);
  }
  let gzip = 0;
  for (const file of files) gzip += gzipSize(root, file);
  return { files: files.size, gzip };
}

export type RouteJs = { route: string; files: number; gzip: number; cadre: boolean; over: boolean };

/** Every route of the build with its JavaScript, largest first; a cadre's route over the budget is `over`. */
export function javascriptTable(manifest = readManifest(), root = process.cwd()): RouteJs[] {
  return Object.keys(manifest.routes)
    .map((route) => {
      const js = javascriptOf(manifest, route, root);
      const cadre = CADRE_ROUTES.has(route);
      return { route, ...js, cadre, over: cadre && js.gzip > CADRE_BUDGET };
    })
    .sort((a, b) => b.gzip - a.gzip || a.route.localeCompare(b.route));
}
