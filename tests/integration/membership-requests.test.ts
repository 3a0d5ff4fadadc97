// A clerk cannot widen their own scope: enrolling a household is a request an official of the township
// confirms. Until then the household stays outside the clerk's scope; the clerk never browses names.
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, memberships, membershipRequests } from "../../db/schema";
import { ForbiddenError, NotFoundError, ValidationError } from "~/models/errors.server";
import { householdIsInScope, scopeOf } from "~/models/scope.server";
import {
  cooperativeMembershipRequests,
  decideMembershipRequest,
  pendingMembershipRequests,
  requestMembership,
  withdrawMembershipRequest,
} from "~/models/membership-requests.server";
import { joinCooperative } from "~/models/cooperatives.server";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";
import { raceTest } from "../support/test-db";

async function setup() {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world, 0);
  const otherCoop = await f.createCooperative(d, world, 0);
  const clerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: coop.id }));
  const otherClerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: otherCoop.id }));
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const farOfficial = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 1 }));
  const admin = scopeOf(await f.createUser(d, world, "admin"));
  const cadre = scopeOf(await f.createUser(d, world, "cadre"));
  return { d, world, coop, otherCoop, clerk, otherClerk, official, farOfficial, admin, cadre };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

const fieldErrors = (error: unknown) => (error as ValidationError).fieldErrors;
const today = "2026-05-01";

test("a clerk's request brings nobody into scope until an official confirms it; then the membership is written", async () => {
  const { d, world, coop, clerk, official } = await setup();
  const h = await f.createHousehold(d, world, { members: 2 });
  // named by the spouse's ID number, with a lower-case x and spaces as people type them
  const spouseId = h.members[1].idNumber;
  const typed = `${spouseId.slice(0, 6)} ${spouseId.slice(6)}`.toLowerCase();
  const { request } = await requestMembership({
    scope: clerk,
    cooperativeId: coop.id,
    identifier: typed,
    joinedOn: "2026-04-01",
  });
  expect(request.status).toBe("pending");
  expect(await householdIsInScope({ scope: clerk, id: h.id })).toBe(false);
  expect(await d.select().from(memberships).where(eq(memberships.householdId, h.id))).toEqual([]);

  const listed = await cooperativeMembershipRequests({ scope: official, cooperativeId: coop.id, today });
  expect(listed.map((r) => [r.householdId, r.status, r.joinedOn])).toEqual([[h.id, "pending", "2026-04-01"]]);
  expect(await pendingMembershipRequests(official)).toEqual([
    { cooperativeId: coop.id, cooperative: coop.name, count: 1 },
  ]);

  const { membership } = await decideMembershipRequest({
    scope: official,
    cooperativeId: coop.id,
    requestId: request.id,
    decision: "confirm",
  });
  expect(membership).toMatchObject({ householdId: h.id, cooperativeId: coop.id, joinedOn: "2026-04-01", leftOn: null });
  expect(await householdIsInScope({ scope: clerk, id: h.id })).toBe(true);
  const [after] = await d.select().from(membershipRequests).where(eq(membershipRequests.id, request.id));
  expect([after.status, after.membershipId, after.decidedBy]).toEqual(["confirmed", membership!.id, official.userId]);
  const actions = (
    await d.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.householdId, h.id))
  ).map((r) => r.action);
  expect(actions.sort()).toEqual(["membership.join", "membership.request", "membership_request.confirm"]);
  expect(await pendingMembershipRequests(official)).toEqual([]);
});

test("a clerk may not enrol directly, nor decide; an official may not ask; other roles do neither", async () => {
  const { d, world, coop, clerk, official, admin, cadre } = await setup();
  const h = await f.createHousehold(d, world);
  expect(
    await rejection(joinCooperative({ scope: clerk, cooperativeId: coop.id, householdId: h.id, joinedOn: today })),
  ).toBeInstanceOf(ForbiddenError);
  const { request } = await requestMembership({
    scope: clerk,
    cooperativeId: coop.id,
    identifier: h.code,
    joinedOn: today,
  });
  expect(
    await rejection(
      decideMembershipRequest({ scope: clerk, cooperativeId: coop.id, requestId: request.id, decision: "confirm" }),
    ),
  ).toBeInstanceOf(ForbiddenError);
  for (const scope of [official, admin, cadre]) {
    expect(
      await rejection(requestMembership({ scope, cooperativeId: coop.id, identifier: h.code, joinedOn: today })),
    ).toBeInstanceOf(ForbiddenError);
  }
  for (const scope of [admin, cadre]) {
    expect(
      await rejection(
        decideMembershipRequest({ scope, cooperativeId: coop.id, requestId: request.id, decision: "confirm" }),
      ),
    ).toBeInstanceOf(ForbiddenError);
  }
});

test("a household of another township, or none at all, gets one answer; the refusal is audited with the number masked", async () => {
  const { d, world, coop, clerk } = await setup();
  const elsewhere = await f.createHousehold(d, world, { villageIndex: 2 });
  const ghost = "11010519491231002X";
  for (const identifier of [elsewhere.code, elsewhere.members[0].idNumber, ghost, "no-such-code"]) {
    const error = await rejection(
      requestMembership({ scope: clerk, cooperativeId: coop.id, identifier, joinedOn: today }),
    );
    expect(fieldErrors(error)).toEqual({ identifier: ["membership.error.notFound"] });
  }
  const refusals = await d
    .select({ after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.action, "membership.request_refused"), eq(auditLog.userId, clerk.userId)));
  expect(refusals).toHaveLength(4);
  const logged = JSON.stringify(refusals);
  expect(logged).not.toContain(elsewhere.members[0].idNumber);
  expect(logged).not.toContain(ghost);
  expect(await d.select().from(membershipRequests).where(eq(membershipRequests.cooperativeId, coop.id))).toEqual([]);
});

test("one open request per household; a current member is refused; a former member may be asked for again", async () => {
  const { d, world, coop, clerk, official } = await setup();
  const h = await f.createHousehold(d, world);
  await requestMembership({ scope: clerk, cooperativeId: coop.id, identifier: h.code, joinedOn: today });
  const twice = await rejection(
    requestMembership({ scope: clerk, cooperativeId: coop.id, identifier: h.code, joinedOn: today }),
  );
  expect(fieldErrors(twice)).toEqual({ identifier: ["membership.error.alreadyRequested"] });

  const member = await f.createHousehold(d, world);
  await joinCooperative({ scope: official, cooperativeId: coop.id, householdId: member.id, joinedOn: "2026-03-01" });
  const already = await rejection(
    requestMembership({ scope: clerk, cooperativeId: coop.id, identifier: member.code, joinedOn: today }),
  );
  expect(fieldErrors(already)).toEqual({ identifier: ["orders.error.alreadyMember"] });

  const former = await f.createHousehold(d, world);
  const m = await f.joinCooperative(d, world, coop.id, former.id, "2025-01-01");
  await d.update(memberships).set({ leftOn: "2025-12-31" }).where(eq(memberships.id, m.id));
  const again = await requestMembership({
    scope: clerk,
    cooperativeId: coop.id,
    identifier: former.code,
    joinedOn: today,
  });
  expect(again.request.status).toBe("pending");
});

test("declining needs a reason the clerk reads; a withdrawn or decided request cannot be decided again", async () => {
  const { d, world, coop, clerk, official } = await setup();
  const [a, b] = [await f.createHousehold(d, world), await f.createHousehold(d, world)];
  const ra = (await requestMembership({ scope: clerk, cooperativeId: coop.id, identifier: a.code, joinedOn: today }))
    .request;
  const rb = (await requestMembership({ scope: clerk, cooperativeId: coop.id, identifier: b.code, joinedOn: today }))
    .request;
  await decideMembershipRequest({
    scope: official,
    cooperativeId: coop.id,
    requestId: ra.id,
    decision: "decline",
    reason: "不在本村居住",
  });
  await withdrawMembershipRequest({ scope: clerk, cooperativeId: coop.id, requestId: rb.id });

  const seen = await cooperativeMembershipRequests({
    scope: clerk,
    cooperativeId: coop.id,
    today: new Date().toISOString().slice(0, 10),
  });
  expect(seen.map((r) => [r.householdId, r.status, r.reason]).sort()).toEqual(
    [
      [a.id, "declined", "不在本村居住"],
      [b.id, "withdrawn", null],
    ].sort(),
  );
  const decided = await rejection(
    decideMembershipRequest({ scope: official, cooperativeId: coop.id, requestId: ra.id, decision: "confirm" }),
  );
  expect((decided as ValidationError).formErrors).toEqual(["membership.error.already.declined"]);
  const withdrawn = await rejection(
    decideMembershipRequest({ scope: official, cooperativeId: coop.id, requestId: rb.id, decision: "confirm" }),
  );
  expect((withdrawn as ValidationError).formErrors).toEqual(["membership.error.already.withdrawn"]);
  expect(await householdIsInScope({ scope: clerk, id: a.id })).toBe(false);
  // the database holds the rule too: a decline without a reason is refused there
  await expect(
    d.update(membershipRequests).set({ reason: " " }).where(eq(membershipRequests.id, ra.id)),
  ).rejects.toThrow();
});

test("requests are scoped: another cooperative's clerk and another township's official find nothing", async () => {
  const { d, world, coop, otherCoop, clerk, otherClerk, farOfficial, official } = await setup();
  const h = await f.createHousehold(d, world);
  const { request } = await requestMembership({
    scope: clerk,
    cooperativeId: coop.id,
    identifier: h.code,
    joinedOn: today,
  });
  expect(await cooperativeMembershipRequests({ scope: otherClerk, cooperativeId: coop.id, today })).toEqual([]);
  expect(await cooperativeMembershipRequests({ scope: farOfficial, cooperativeId: coop.id, today })).toEqual([]);
  expect(
    await rejection(
      withdrawMembershipRequest({ scope: otherClerk, cooperativeId: otherCoop.id, requestId: request.id }),
    ),
  ).toBeInstanceOf(NotFoundError);
  expect(
    await rejection(
      decideMembershipRequest({
        scope: farOfficial,
        cooperativeId: coop.id,
        requestId: request.id,
        decision: "confirm",
      }),
    ),
  ).toBeInstanceOf(NotFoundError);
  // a request id under another cooperative's page finds nothing either
  expect(
    await rejection(
      decideMembershipRequest({
        scope: official,
        cooperativeId: otherCoop.id,
        requestId: request.id,
        decision: "confirm",
      }),
    ),
  ).toBeInstanceOf(NotFoundError);
  expect(
    await rejection(
      requestMembership({ scope: otherClerk, cooperativeId: coop.id, identifier: h.code, joinedOn: today }),
    ),
  ).toBeInstanceOf(NotFoundError);
});

raceTest("two officials confirming one request at once write one membership", async () => {
  const { d, world, coop, clerk, official } = await setup();
  const second = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const h = await f.createHousehold(d, world);
  const { request } = await requestMembership({
    scope: clerk,
    cooperativeId: coop.id,
    identifier: h.code,
    joinedOn: today,
  });
  const results = await Promise.allSettled(
    [official, second, official, second].map((scope) =>
      decideMembershipRequest({ scope, cooperativeId: coop.id, requestId: request.id, decision: "confirm" }),
    ),
  );
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ValidationError);
  expect(await d.select().from(memberships).where(eq(memberships.householdId, h.id))).toHaveLength(1);
});
