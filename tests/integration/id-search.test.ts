// Domain rule 2 through the list's search: a role shown masked ID numbers cannot read the hidden digits
// back by searching longer and longer tails; it searches by what it is shown (last 4) or a whole number.
import { and, eq, like } from "drizzle-orm";
import { auditLog } from "../../db/schema";
import { expect, test } from "vitest";
import { HouseholdListParamsSchema, listHouseholds } from "~/models/household-list.server";
import { scopeOf } from "~/models/scope.server";
import { signIn } from "~/http/auth.server";
import { db } from "~/utils/db.server";
import { idNumberCheckChar } from "~/utils/id-number";
import * as f from "../support/factories";
import type * as ListRouteModule from "../../app/routes/_app.households._index";

type User = Parameters<typeof scopeOf>[0];

async function list(user: User, q: string) {
  const params = HouseholdListParamsSchema.parse({ q });
  return listHouseholds({ scope: scopeOf(user), params, year: 2026 });
}
const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

let worlds = 0;
async function world() {
  const d = await db();
  const w = await f.createWorld(d);
  const coop = await f.createCooperative(d, w, 0);
  const clerk = await f.createUser(d, w, "clerk", { cooperativeId: coop.id });
  const cadre = await f.createUser(d, w, "cadre", { townshipIndex: 0 });
  const official = await f.createUser(d, w, "official", { townshipIndex: 0 });
  const a = await f.createHousehold(d, w, {});
  const b = await f.createHousehold(d, w, {});
  // the same last 4 characters; the 5th from the end (hidden by the mask) differs
  // a new sequence number per world: the file's worlds share one database, and a number is unique
  const seq = String(++worlds + 100);
  const valid = (first17: string) => first17 + idNumberCheckChar(first17);
  const idA = valid(`11010119900101${seq}`);
  // a real number with another birth year and day whose check character happens to be the same
  const idB = Array.from({ length: 20 }, (_, y) => valid(`110101${1970 + y}0102${seq}`)).find(
    (id) => id.slice(-4) === idA.slice(-4),
  )!;
  await f.addMemberWithId(d, w, a.id, idA);
  await f.addMemberWithId(d, w, b.id, idB);
  for (const h of [a, b]) {
    await f.joinCooperative(d, w, coop.id, h.id);
    await f.assignCadre(d, w, h.id, cadre.id);
  }
  return { clerk, cadre, official, a, b, idA, idB };
}

test("a clerk's or cadre's search by 5–17 trailing digits does not narrow by the hidden digits, and says so", async () => {
  const { clerk, cadre, a, b, idA } = await world();
  for (const user of [clerk, cadre]) {
    const all = ids((await list(user, "")).rows);
    expect(all).toEqual(ids([a, b]));
    for (let n = 5; n <= 17; n++) {
      const reply = await list(user, idA.slice(-n));
      expect(ids(reply.rows), `${user.role} · last ${n}`).toEqual(all);
      expect(reply.idSearchRefused, `${user.role} · last ${n}`).toBe(true);
    }
  }
});

test("a clerk searches by the last 4 characters, or by the whole number (exact)", async () => {
  const { clerk, a, b, idA, idB } = await world();
  const tail = await list(clerk, idA.slice(-4));
  expect(ids(tail.rows)).toEqual(ids([a, b]));
  expect(tail.idSearchRefused).toBe(false);
  expect(ids((await list(clerk, idA)).rows)).toEqual([a.id]);
  expect(ids((await list(clerk, idB)).rows)).toEqual([b.id]);
  // the same first 17 with a wrong check character is no one's number
  const wrong = `${idA.slice(0, 17)}${idA.endsWith("0") ? "1" : "0"}`;
  expect((await list(clerk, wrong)).total).toBe(0);
});

test("an official, who sees full numbers, still searches by any tail", async () => {
  const { official, a, idA } = await world();
  const reply = await list(official, idA.slice(-5));
  expect(ids(reply.rows)).toEqual([a.id]);
  expect(reply.idSearchRefused).toBe(false);
});

test("a masked role's whole-number and refused searches are audited, with the number masked; last-4 and an official's are not", async () => {
  const { clerk, official, idA } = await world();
  const d = await db();
  const searches = async (userId: string) =>
    d
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.userId, userId), like(auditLog.action, "household.id_search%")));
  await list(clerk, idA.slice(-4));
  expect(await searches(clerk.id)).toHaveLength(0);
  await list(clerk, idA);
  await list(clerk, idA.slice(-9));
  const rows = await searches(clerk.id);
  expect(rows.map((r) => r.action).sort()).toEqual(["household.id_search", "household.id_search_refused"]);
  const logged = JSON.stringify(rows.map((r) => r.after));
  expect(logged).not.toContain(idA);
  expect(logged).not.toContain(idA.slice(-9));
  await list(official, idA.slice(-9));
  expect(await searches(official.id)).toHaveLength(0);
});

// The list page keeps ID numbers out of URLs: its search form is posted; the page answers an ID search from
// the body, sends any other search back to a URL, and does not run an ID number that arrives in a link.
const LIST_ROUTE = "../../app/routes/_app.households._index.tsx";
type ListRoute = typeof ListRouteModule;

async function cookieFor(user: { username: string }) {
  const set = await signIn(new Request("http://localhost/login"), user.username, f.TEST_PASSWORD);
  return set!.split(";")[0];
}

test("an ID number is searched through the form's body and never lands in a URL; other searches go to the URL", async () => {
  const { official, clerk, a, idA } = await world();
  const route = (await import(/* @vite-ignore */ LIST_ROUTE)) as ListRoute;
  for (const user of [official, clerk]) {
    const Cookie = await cookieFor(user);
    const post = (fields: Record<string, string>) =>
      route.action({
        request: new Request("http://localhost/households?index", {
          method: "POST",
          headers: { Cookie },
          body: new URLSearchParams(fields),
        }),
        params: {},
        context: {},
      });
    const found = await post({ q: idA, status: "" });
    expect(found, `${user.role}: answered in place`).not.toBeInstanceOf(Response);
    const page = found as Exclude<Awaited<typeof found>, Response>;
    expect(page.rows.map((r) => r.id)).toEqual([a.id]);
    expect(page.posted).toBe(true);

    const byName = (await post({ q: a.headName, size: "50" })) as Response;
    expect(byName.status).toBe(302);
    expect(new URL(byName.headers.get("Location")!, "http://localhost").searchParams.get("q")).toBe(a.headName);
    const lastFour = (await post({ q: idA.slice(-4) })) as Response;
    expect(lastFour.headers.get("Location")).toBe(`/households?q=${idA.slice(-4)}`);

    // a link with a whole number in it is not run, and the page says why
    const linked = await route.loader({
      request: new Request(`http://localhost/households?q=${idA}`, { headers: { Cookie } }),
      params: {},
      context: {},
    });
    const data = linked as Exclude<typeof linked, Response>;
    expect(data.privateQuery).toBe(true);
    expect(data.params.q).toBeUndefined();
    expect(data.total).toBeGreaterThan(1);
  }
});
