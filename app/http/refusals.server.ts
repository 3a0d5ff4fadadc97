// A signed-in user's refused request is written to the audit log from one place, whichever way Remix
// answered it: a page through entry.server's handleRequest, a page's data through its handleDataRequest,
// a file through `auditedResource` around the resource route's loader (Remix sends a resource route's
// response straight out, past every hook of entry.server).
import type { ServerBuild } from "@remix-run/node";
import { matchRoutes } from "@remix-run/react";
import { auditRefusedAccess } from "~/models/audit.server";
import { getUser } from "./auth.server";

type RouteNode = Parameters<typeof matchRoutes>[0][number];
let routes: (() => ServerBuild["routes"]) | undefined;
let tree: RouteNode[] | undefined;

/**
 * The build's routes, handed in by entry.server, which imports `@remix-run/dev/server-build` — the
 * compiler's module of the build itself, which exists only inside the built app. A route module imported
 * on its own (a test calling a loader) has none, and audits nothing. A function, read at request time: the
 * build defines its routes after the entry module has run.
 */
export function registerRoutes(manifest: () => ServerBuild["routes"]) {
  routes = manifest;
  tree = undefined;
}

/**
 * The build's routes as the nested tree Remix itself matches URLs against. The data requests and
 * resource routes are told no route id, and a single-fetch data URL (`/households/1.data`) names only
 * the page; this finds the route the same way Remix did.
 */
function routeTree(manifest: ServerBuild["routes"]): RouteNode[] {
  if (tree) return tree;
  const children = (parentId: string | undefined): RouteNode[] =>
    Object.values(manifest)
      .filter((r) => r.parentId === parentId)
      .map(
        (r) =>
          ({
            id: r.id,
            path: r.path,
            index: r.index,
            caseSensitive: r.caseSensitive,
            children: r.index ? undefined : children(r.id),
          }) as RouteNode,
      );
  tree = children(undefined);
  return tree;
}

/** The page a request is for: a single-fetch data URL without its `.data`. */
function pagePath(url: URL): string {
  return url.pathname.replace(/\.data$/, "").replace(/^\/_root$/, "/");
}

/**
 * Written when a signed-in user gets a 403 (not for their role), or a 404 on a URL that names a record
 * (`/households/:householdId`, `/photos/:photoId`, …). An unknown URL (the splat route) is not a refusal;
 * an anonymous request was sent to sign in instead. The audit never changes the response: a failure to
 * write it is logged and the response goes out as it was.
 */
export async function auditRefusal(request: Request, status: number): Promise<void> {
  if ((status !== 403 && status !== 404) || !routes) return;
  try {
    const path = pagePath(new URL(request.url));
    const leaf = matchRoutes(routeTree(routes()), path)?.at(-1);
    const namesRecord = leaf !== undefined && Object.keys(leaf.params).some((name) => name !== "*");
    if (status === 404 && !namesRecord) return;
    // read only now: the cookie and the session cost nothing on the requests that are answered
    const user = await getUser(request);
    if (!user) return;
    await auditRefusedAccess({ user, path, method: request.method, status, routeId: leaf?.route.id ?? null });
  } catch (error) {
    console.error("[tingyuan] a refused access was not written to the audit log", error);
  }
}

/**
 * A resource route's loader (a file, a photo) whose refusals are audited like a page's: the response it
 * returns or throws goes through `auditRefusal` on its way out, unchanged.
 */
export function auditedResource<Args extends { request: Request }>(loader: (args: Args) => Promise<Response>) {
  return async (args: Args): Promise<Response> => {
    let response: Response;
    try {
      response = await loader(args);
    } catch (thrown) {
      if (thrown instanceof Response) await auditRefusal(args.request, thrown.status);
      throw thrown;
    }
    await auditRefusal(args.request, response.status);
    return response;
  };
}
