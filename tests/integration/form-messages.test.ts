// Every form the app parses, sent to its route's action the way a browser could send it — empty, with a
// wrong value in one field at a time, with two values where one goes, or not as a form at all — in both
// languages: the answer is a refusal the user can read in the page's language (field errors, 400), never
// zod's English and never a 500.
import fs from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, test } from "vitest";
import { messageText, type Locale } from "~/i18n";
import { translator } from "~/i18n/dictionaries.server";
import { zhCN } from "~/i18n/zh-CN";
import { proposeAmendment } from "~/models/amendments.server";
import { createImportJob, importJobsIdle } from "~/models/import-jobs.server";
import { scopeOf } from "~/models/scope.server";
import { signIn } from "~/http/auth.server";
import { db } from "~/utils/db.server";
import { getLocale, localeCookie } from "~/http/locale.server";
import { schema } from "../../db/client";
import * as f from "../support/factories";
import { ZOD_DEFAULT } from "../support/zod-defaults";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;
type Fields = Record<string, string>;
type World = Awaited<ReturnType<typeof build>>;

/** One form of one route: who sends it, to which record, and a valid filling to spoil one field at a time. */
type Form = {
  name: string;
  user: keyof World["users"] | null;
  params?: (w: World) => Record<string, string>;
  /** what the page sends besides the fields (intent, the row's id) */
  fixed?: (w: World) => Fields;
  valid: (w: World) => Fields;
};

const ROUTES = path.resolve("app/routes");
/** Each route module: a file of app/routes, or the route.tsx of a route folder (its other files are not routes). */
const routeModules = () =>
  fs.readdirSync(ROUTES, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/route.tsx` : e.name));
const routeModule = (file: string) => import(/* @vite-ignore */ path.join(ROUTES, file)) as Promise<{ action: Action }>;

const DAY = "2026-03-02";
const FORMS: Record<string, Form[]> = {
  "_app.buyers.$buyerId.edit.tsx": [
    {
      name: "a buyer's details",
      user: "clerk",
      params: (w) => ({ buyerId: w.buyer.id }),
      valid: (w) => ({
        version: "1",
        name: "改名企业",
        creditCode: w.buyer.creditCode,
        contactName: "王",
        phone: "13900000000",
        address: "县城",
      }),
    },
  ],
  "_app.cooperatives.new.tsx": [
    {
      name: "a new cooperative",
      user: "official",
      valid: (w) => ({
        name: "新合作社",
        kind: "planting",
        villageId: w.world.villages[0].id,
        registrationCode: f.creditCode(),
        contactName: "李",
        phone: "13900000004",
      }),
    },
  ],
  "_app.cooperatives.$cooperativeId_.edit.tsx": [
    {
      name: "a cooperative's details",
      user: "official",
      params: (w) => ({ cooperativeId: w.coop.id }),
      valid: (w) => ({
        version: "1",
        name: "改名合作社",
        kind: "mixed",
        villageId: w.world.villages[0].id,
        registrationCode: "",
        contactName: "",
        phone: "",
      }),
    },
  ],
  "_app.account.tsx": [
    {
      name: "one's own password",
      user: "managed",
      valid: () => ({
        currentPassword: f.TEST_PASSWORD,
        newPassword: "葡萄架下-2026",
        confirmPassword: "葡萄架下-2026",
      }),
    },
  ],
  "_app.admin.users.new.tsx": [
    {
      name: "a new account",
      user: "official",
      valid: (w) => ({
        username: "fm-new-cadre",
        displayName: "新干部",
        phone: "13900000002",
        role: "cadre",
        townshipId: w.world.townships[0].id,
        cooperativeId: w.coop.id,
      }),
    },
  ],
  "_app.admin.users.$userId.tsx": [
    {
      name: "an account's details",
      user: "official",
      params: (w) => ({ userId: w.users.managed.id }),
      fixed: () => ({ intent: "update" }),
      valid: (w) => ({
        version: "1",
        displayName: "改名",
        phone: "13900000003",
        role: "cadre",
        townshipId: w.world.townships[0].id,
        cooperativeId: w.coop.id,
      }),
    },
    ...(["reset", "deactivate", "reactivate"] as const).map((intent) => ({
      name: `an account's ${intent}`,
      user: "admin" as const,
      params: (w: World) => ({ userId: w.users.managed.id }),
      fixed: () => ({ intent }),
      valid: () => ({ version: "1" }),
    })),
  ],
  "_app.admin.settings.($townshipId).tsx": [
    {
      // a change from far ahead: a spoiled field that happens to be a valid value moves nothing the other forms read
      name: "the county's rule values",
      user: "admin",
      valid: () => ({
        effectiveFrom: "2099-01-01",
        check_intervalDays: "30",
        check_monitoredIntervalDays: "15",
        check_editWindowHours: "24",
        cadre_maxHouseholds: "30",
        points_checkOnTime: "2",
        points_checkLate: "-1",
        points_problemFound: "1",
        points_problemSolved: "3",
        points_householdOverdue: "-2",
      }),
    },
  ],
  "_app.admin.regions._index.tsx": [
    {
      name: "a township",
      user: "admin",
      valid: (w) => ({ parentId: w.world.county.id, code: `${w.world.county.code}107`, name: "新设乡", nameEn: "" }),
    },
  ],
  "_app.admin.regions.$regionId.tsx": [
    {
      name: "a region's name",
      user: "admin",
      params: (w) => ({ regionId: w.world.villages[3].id }),
      fixed: () => ({ intent: "rename" }),
      valid: () => ({ version: "1", name: "改名村", nameEn: "" }),
    },
    {
      name: "a region's merge",
      user: "admin",
      params: (w) => ({ regionId: w.world.villages[3].id }),
      fixed: () => ({ intent: "merge" }),
      valid: (w) => ({ version: "1", intoId: w.world.villages[2].id }),
    },
    {
      name: "a region's retirement",
      user: "admin",
      params: (w) => ({ regionId: w.world.villages[3].id }),
      fixed: () => ({ intent: "retire" }),
      valid: () => ({ version: "1" }),
    },
  ],
  "_app.admin.reference/route.tsx": [
    {
      name: "a new entry of a reference list",
      user: "admin",
      fixed: () => ({ intent: "add" }),
      valid: () => ({ list: "animals", code: "fm_alpaca", nameZh: "羊驼", nameEn: "Alpaca" }),
    },
    {
      name: "a reference entry's names",
      user: "admin",
      fixed: () => ({ intent: "rename" }),
      valid: () => ({ list: "animals", code: "rabbit", version: "1", nameZh: "家兔", nameEn: "" }),
    },
    {
      name: "a crop's key dates",
      user: "admin",
      fixed: () => ({ intent: "calendar" }),
      valid: () => ({
        list: "crops",
        code: "cowpea",
        version: "1",
        transplant: "04-10",
        flowering: "05-25",
        harvest: "07-01",
      }),
    },
    ...(["retire", "restore"] as const).map((intent) => ({
      name: `a reference entry's ${intent}`,
      user: "admin" as const,
      fixed: () => ({ intent }),
      valid: () => ({ list: "animals", code: "rabbit", version: "1" }),
    })),
  ],
  "_app.admin.regions.import.tsx": [
    {
      name: "division codes' commit",
      user: "admin",
      fixed: () => ({ intent: "commit" }),
      valid: () => ({ csv: "code,name\n230828107,新设乡", plan: "a".repeat(64) }),
    },
  ],
  "login.tsx": [
    { name: "sign in", user: null, valid: () => ({ username: "nobody", password: "wrong password", redirectTo: "/" }) },
  ],
  "_app.assignments._index.tsx": [
    {
      name: "a village to a cadre",
      user: "official",
      fixed: () => ({ intent: "village" }),
      valid: (w) => ({
        villageId: w.world.villages[0].id,
        cadreId: w.users.cadre.id,
        which: "unassigned",
        startsOn: DAY,
      }),
    },
    {
      name: "transfer",
      user: "official",
      fixed: () => ({ intent: "transfer" }),
      valid: (w) => ({ fromCadreId: w.users.cadre.id, toCadreId: w.users.cadre2.id, startsOn: DAY, reason: "调整" }),
    },
  ],
  "_app.assignments.households.tsx": [
    {
      name: "chosen households to a cadre",
      user: "official",
      valid: (w) => ({ households: `${w.spare.id}:none`, cadreId: w.users.cadre.id, startsOn: DAY }),
    },
  ],
  "_app.buyers._index.tsx": [
    {
      name: "a buyer",
      user: "clerk",
      valid: () => ({
        name: "测试买家",
        creditCode: f.creditCode(),
        contactName: "王",
        phone: "13900000000",
        address: "县城",
      }),
    },
  ],
  "_app.cooperatives.$cooperativeId/route.tsx": [
    {
      name: "a broker",
      user: "clerk",
      params: (w) => ({ cooperativeId: w.coop.id }),
      fixed: () => ({ intent: "broker" }),
      valid: () => ({ name: "经纪人", phone: "13900000000" }),
    },
    {
      name: "a broker corrected",
      user: "clerk",
      params: (w) => ({ cooperativeId: w.coop.id }),
      fixed: () => ({ intent: "broker-update" }),
      valid: (w) => ({ brokerId: w.broker.id, version: "1", name: "改名经纪人", phone: "13900000001" }),
    },
    {
      name: "a broker retired",
      user: "clerk",
      params: (w) => ({ cooperativeId: w.coop.id }),
      fixed: () => ({ intent: "broker-retire" }),
      valid: (w) => ({ brokerId: w.broker.id, version: "1" }),
    },
    {
      name: "a member joins",
      user: "clerk",
      params: (w) => ({ cooperativeId: w.coop.id }),
      fixed: () => ({ intent: "join" }),
      valid: (w) => ({ householdId: w.spare.id, joinedOn: DAY }),
    },
    {
      name: "a member leaves",
      user: "clerk",
      params: (w) => ({ cooperativeId: w.coop.id }),
      fixed: () => ({ intent: "leave" }),
      valid: (w) => ({ membershipId: w.membership.id, leftOn: DAY }),
    },
  ],
  "_app.households.$householdId._index/route.tsx": [
    {
      name: "a plan's step",
      user: "official",
      params: (w) => ({ householdId: w.household.id }),
      fixed: (w) => ({ planId: w.plan.id }),
      valid: () => ({ intent: "return", version: "1", reason: "请补充措施" }),
    },
    {
      name: "an amendment returned",
      user: "official",
      params: (w) => ({ householdId: w.funded.id }),
      fixed: (w) => ({ intent: "amendment-return", amendmentId: w.amendment.id }),
      valid: () => ({ version: "1", reason: "请核实面积" }),
    },
    {
      name: "an amendment approved",
      user: "official",
      params: (w) => ({ householdId: w.funded.id }),
      fixed: (w) => ({ intent: "amendment-approve", amendmentId: w.amendment.id }),
      valid: () => ({ version: "1" }),
    },
    {
      name: "a problem solved on its household's page",
      user: "official",
      params: (w) => ({ householdId: w.household.id }),
      fixed: (w) => ({ intent: "solve", checkId: w.check.id }),
      valid: () => ({ solvedOn: DAY }),
    },
  ],
  "_app.households.$householdId.amendment/route.tsx": [
    {
      name: "an amendment of a running plan",
      user: "official",
      params: (w) => ({ householdId: w.amendable.id }),
      valid: () => ({
        courtyardArea: "600",
        livingArea: "200",
        plantingArea: "300",
        raisingArea: "100",
        "plantingItems[0].cropCode": "potato",
        "plantingItems[0].area": "200",
        "plantingItems[0].expectedYieldKg": "600",
        measures: "改种马铃薯",
        incomeTargetFen: "4000",
        reason: "辣椒遭霜冻",
      }),
    },
  ],
  "_app.households.$householdId.assignment/route.tsx": [
    {
      name: "assign a cadre",
      user: "official",
      params: (w) => ({ householdId: w.household.id }),
      fixed: () => ({ intent: "assign" }),
      valid: (w) => ({ cadreId: w.users.cadre2.id, startsOn: DAY, reason: "调整", expectedCadreId: w.users.cadre.id }),
    },
    {
      name: "end the assignment",
      user: "official",
      params: (w) => ({ householdId: w.household.id }),
      fixed: () => ({ intent: "end" }),
      valid: (w) => ({ endsOn: DAY, reason: "调整结对", expectedCadreId: w.users.cadre.id }),
    },
  ],
  "_app.households.$householdId.checks.new/route.tsx": [
    {
      name: "a check",
      user: "cadre",
      params: (w) => ({ householdId: w.household.id }),
      valid: () => ({
        visitedOn: DAY,
        livingStatus: "on_track",
        plantingStatus: "behind",
        raisingStatus: "not_applicable",
        problems: "缺苗",
        nextDueOn: "2026-04-02",
      }),
    },
  ],
  "_app.households.$householdId.edit.tsx": [
    {
      name: "the household",
      user: "official",
      params: (w) => ({ householdId: w.household.id }),
      valid: (w) => ({
        villageId: w.world.villages[0].id,
        address: "一组",
        phone: "13900000000",
        povertyStatus: "registered",
        povertyCause: "illness",
        courtyardArea: "600",
        version: "1",
      }),
    },
  ],
  "_app.households.$householdId.members.$memberId.tsx": [
    {
      name: "a new member",
      user: "official",
      params: (w) => ({ householdId: w.household.id, memberId: "new" }),
      valid: () => ({
        name: "李四",
        idNumber: f.newIdNumber("female"),
        relation: "child",
        sex: "female",
        health: "healthy",
        labourAbility: "full",
        phone: "13900000000",
      }),
    },
    {
      name: "a member",
      user: "official",
      params: (w) => ({ householdId: w.household.id, memberId: w.household.members[1].id }),
      valid: (w) => ({
        name: "李五",
        idNumber: w.household.members[1].idNumber,
        relation: "spouse",
        sex: "female",
        health: "healthy",
        labourAbility: "full",
        version: "1",
      }),
    },
    {
      name: "remove a member",
      user: "official",
      params: (w) => ({ householdId: w.household.id, memberId: w.household.members[1].id }),
      fixed: () => ({ intent: "remove" }),
      valid: () => ({ version: "1" }),
    },
  ],
  "_app.households.$householdId.plan/route.tsx": [
    {
      name: "the plan",
      user: "official",
      params: (w) => ({ householdId: w.spare.id }),
      valid: () => ({
        courtyardArea: "600",
        livingArea: "200",
        plantingArea: "300",
        raisingArea: "100",
        "plantingItems[0].cropCode": "chili",
        "plantingItems[0].area": "300",
        "plantingItems[0].expectedYieldKg": "500",
        "raisingItems[0].animalCode": "chicken",
        "raisingItems[0].headCount": "20",
        measures: "种辣椒",
        incomeTargetFen: "5000",
      }),
    },
  ],
  "_app.households.new.tsx": [
    {
      name: "a new household",
      user: "official",
      valid: (w) => ({
        villageId: w.world.villages[0].id,
        povertyStatus: "registered",
        povertyCause: "illness",
        courtyardArea: "600",
        "members[0].name": "赵六",
        "members[0].idNumber": f.newIdNumber("male"),
        "members[0].relation": "head",
        "members[0].sex": "male",
      }),
    },
  ],
  "_app.import.$jobId.tsx": [
    {
      name: "commit an import",
      user: "official",
      params: (w) => ({ jobId: w.importJobId }),
      valid: () => ({ intent: "commit" }),
    },
  ],
  "_app.import._index.tsx": [{ name: "upload a file", user: "official", valid: () => ({ file: "registry.csv" }) }],
  "_app.orders.$orderId/route.tsx": [
    {
      name: "an order's status",
      user: "clerk",
      params: (w) => ({ orderId: w.order.id }),
      fixed: () => ({ intent: "status" }),
      valid: () => ({ status: "delivering", version: "1" }),
    },
    {
      name: "an allocation",
      user: "clerk",
      params: (w) => ({ orderId: w.order.id }),
      fixed: () => ({ intent: "allocate" }),
      valid: (w) => ({ householdId: w.household.id, quantityKg: "100" }),
    },
    {
      name: "a delivery",
      user: "clerk",
      params: (w) => ({ orderId: w.order.id }),
      fixed: (w) => ({ intent: "deliver", allocationId: w.allocation.id }),
      valid: () => ({
        deliveredOn: DAY,
        quantityKg: "10",
        grade: "first",
        unitPriceFen: "5",
        paidFen: "50",
        paidOn: DAY,
      }),
    },
    {
      name: "a payment",
      user: "clerk",
      params: (w) => ({ orderId: w.order.id }),
      fixed: (w) => ({ intent: "pay", deliveryId: w.delivery.id }),
      valid: () => ({ amountFen: "1", paidOn: DAY, note: "现金" }),
    },
    {
      name: "a payment's reversal",
      user: "clerk",
      params: (w) => ({ orderId: w.order.id }),
      fixed: (w) => ({ intent: "reverse-payment", paymentId: w.paymentId }),
      valid: () => ({ reason: "银行退回" }),
    },
    {
      name: "an allocation's change",
      user: "clerk",
      params: (w) => ({ orderId: w.order.id }),
      fixed: (w) => ({ intent: "change-allocation", allocationId: w.allocation.id }),
      valid: () => ({ version: "1", quantityKg: "500", reason: "减产" }),
    },
    {
      name: "an order's terms",
      user: "clerk",
      params: (w) => ({ orderId: w.order.id }),
      fixed: () => ({ intent: "terms" }),
      valid: () => ({
        version: "1",
        quantityKg: "5000",
        unitPriceFen: "5",
        season: "秋季",
        deliveryStart: "2026-08-15",
        deliveryEnd: "2026-09-30",
      }),
    },
    {
      name: "a delivery's correction",
      user: "clerk",
      params: (w) => ({ orderId: w.order.id }),
      fixed: (w) => ({ intent: "correct", deliveryId: w.delivery.id }),
      valid: () => ({
        reason: "过磅记错",
        mode: "replace",
        deliveredOn: DAY,
        quantityKg: "10",
        grade: "first",
        unitPriceFen: "5",
      }),
    },
  ],
  "_app.orders.new.tsx": [
    {
      name: "a new order",
      user: "clerk",
      valid: (w) => ({
        cooperativeId: w.coop.id,
        buyerId: w.buyer.id,
        cropCode: "chili",
        quantityKg: "1000",
        unitPriceFen: "5",
        season: "秋季",
        deliveryStart: "2026-08-01",
        deliveryEnd: "2026-09-30",
        status: "signed",
        signedOn: DAY,
      }),
    },
  ],
  "_app.points/route.tsx": [
    {
      name: "a bonus or deduction",
      user: "official",
      fixed: () => ({ intent: "adjust" }),
      valid: (w) => ({ from: "league", cadreId: w.users.cadre.id, effectiveOn: DAY, points: "5", reason: "走访及时" }),
    },
    {
      name: "a problem solved",
      user: "official",
      fixed: () => ({ intent: "solve" }),
      valid: (w) => ({ checkId: w.check.id, solvedOn: DAY, month: "2026-03", cadre: w.users.cadre.id }),
    },
  ],
  "_app.projects.$projectId/route.tsx": [
    {
      name: "an allocation of funds",
      user: "official",
      params: (w) => ({ projectId: w.project.id }),
      valid: (w) => ({
        householdId: w.household.id,
        kind: "in_kind",
        item: "鸡苗",
        quantity: "20",
        amount: "100",
        allocatedOn: DAY,
        note: "",
      }),
    },
    {
      name: "a fund allocation's reversal",
      user: "official",
      params: (w) => ({ projectId: w.project.id }),
      fixed: (w) => ({ intent: "reverse", allocationId: w.fund.id }),
      valid: () => ({ reason: "户名登记错误" }),
    },
  ],
  "_app.projects.$projectId_.edit.tsx": [
    {
      name: "a project",
      user: "official",
      params: (w) => ({ projectId: w.project.id }),
      valid: () => ({
        version: "1",
        name: "庭院鸡",
        type: "industry",
        fundingSource: "衔接资金",
        budget: "10000",
        startsOn: "2026-01-01",
        endsOn: "2026-12-31",
        status: "active",
      }),
    },
  ],
  "_app.projects.new.tsx": [
    {
      name: "a new project",
      user: "official",
      valid: () => ({
        name: "庭院菜",
        type: "industry",
        fundingSource: "衔接资金",
        budget: "10000",
        startsOn: "2026-01-01",
        endsOn: "2026-12-31",
        status: "active",
      }),
    },
  ],
};

/** What a person or a script can put in a field instead of what belongs there. */
const WRONG = ["abc", "-1", "1.5", "1e400", "2025-02-30", "2026-13-01", "bogus_choice", "x".repeat(5000), " "];

async function build() {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world, 0);
  const users = {
    official: await f.createUser(d, world, "official", { townshipIndex: 0 }),
    cadre: await f.createUser(d, world, "cadre", { townshipIndex: 0 }),
    cadre2: await f.createUser(d, world, "cadre", { townshipIndex: 0 }),
    clerk: await f.createUser(d, world, "clerk", { cooperativeId: coop.id }),
    admin: await f.createUser(d, world, "admin"),
    // an account the user pages edit, so no session the other forms need is ended
    managed: await f.createUser(d, world, "cadre", { townshipIndex: 0 }),
  };
  const household = await f.createHousehold(d, world, { members: 2 });
  const spare = await f.createHousehold(d, world, { villageIndex: 1 });
  await f.assignCadre(d, world, household.id, users.cadre.id);
  const plan = await f.createPlan(d, world, household.id, { year: 2026 });
  const membership = await f.joinCooperative(d, world, coop.id, household.id);
  const buyer = await f.createBuyer(d, world);
  const broker = await f.createBroker(d, world, coop.id);
  const order = await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id });
  const allocation = await f.createOrderAllocation(d, world, {
    orderId: order.id,
    householdId: household.id,
    membershipId: membership.id,
    quantityKg: 1000,
  });
  const delivery = await f.createDelivery(d, world, { allocationId: allocation.id, quantityKg: 100 });
  const [payment] = await d
    .insert(schema.payments)
    .values({ countyId: world.county.id, deliveryId: delivery.id, amountFen: 100, paidOn: delivery.deliveredOn })
    .returning();
  const check = await f.createCheck(d, world, household.id, users.cadre.id, "2026-02-01");
  const project = await f.createAidProject(d, world);
  const funded = await f.createHousehold(d, world);
  const fundedPlan = await f.createPlan(d, world, funded.id, { year: 2026, status: "approved" });
  const fund = await f.createFundAllocation(d, world, {
    projectId: project.id,
    planId: fundedPlan.id,
    householdId: funded.id,
  });
  // a change waiting on the approved plan, and a household whose approved plan has none yet
  const amendment = await proposeAmendment({
    scope: scopeOf(users.official),
    householdId: funded.id,
    planId: fundedPlan.id,
    content: {
      courtyardArea: 600,
      livingArea: 200,
      plantingArea: 300,
      raisingArea: 100,
      plantingItems: [],
      raisingItems: [],
      measures: ["调整目标"],
      incomeTargetFen: 300_000,
    },
    reason: "调整目标",
  });
  const amendable = await f.createHousehold(d, world);
  await f.createPlan(d, world, amendable.id, { year: 2026, status: "in_progress" });
  const job = await createImportJob({
    scope: scopeOf(users.official),
    file: {
      name: "registry.csv",
      bytes: new Uint8Array(fs.readFileSync(path.resolve("tests/fixtures/import/valid-utf8.csv"))),
    },
  });
  await importJobsIdle();
  const cookies = Object.fromEntries(
    await Promise.all(
      Object.entries(users).map(async ([k, u]) => {
        const set = await signIn(new Request("http://localhost/login"), u.username, f.TEST_PASSWORD);
        return [k, set!.split(";")[0]] as const;
      }),
    ),
  ) as Record<keyof typeof users, string>;
  return {
    world,
    coop,
    users,
    cookies,
    household,
    spare,
    plan,
    membership,
    buyer,
    broker,
    order,
    allocation,
    delivery,
    paymentId: payment.id,
    check,
    project,
    fund,
    funded,
    amendment,
    amendable,
    importJobId: job.id,
  };
}

let w: World;
beforeAll(async () => {
  w = await build();
});

const isUpload = (file: string) =>
  /unstable_parseMultipartFormData/.test(fs.readFileSync(path.join(ROUTES, file), "utf8"));

function body(file: string, entries: [string, string][]): BodyInit {
  if (!isUpload(file)) return new URLSearchParams(entries);
  const fd = new FormData();
  // an upload form's file field carries a file when the value names one
  for (const [k, v] of entries)
    fd.append(k, k === "file" && v.endsWith(".csv") ? new File(["村,姓名\n"], v, { type: "text/csv" }) : v);
  return fd;
}

async function send(
  file: string,
  form: Form,
  locale: Locale,
  init: { body: BodyInit; headers?: Record<string, string> },
) {
  const cookie = [await localeCookie.serialize(locale), form.user ? w.cookies[form.user] : ""]
    .filter(Boolean)
    .join("; ");
  const request = new Request("http://localhost/form", {
    method: "POST",
    ...init,
    headers: { ...init.headers, Cookie: cookie },
  });
  const { action } = await routeModule(file);
  let answer: unknown;
  try {
    answer = await action({ request, params: form.params?.(w) ?? {}, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    answer = thrown;
  }
  const response = answer instanceof Response ? answer : Response.json(answer);
  const text = response.headers.get("Content-Type")?.includes("json") ? await response.text() : "";
  return {
    status: response.status,
    text,
    json: text ? (JSON.parse(text) as unknown) : null,
    locale: await getLocale(request),
  };
}

/** The strings a reply shows as errors: Conform's `error` and the other replies' `errors`/`formErrors`. */
function errorStrings(json: unknown, inError = false): string[] {
  if (typeof json === "string") return inError ? [json] : [];
  if (Array.isArray(json)) return json.flatMap((v) => errorStrings(v, inError));
  if (json && typeof json === "object") {
    return Object.entries(json).flatMap(([k, v]) =>
      errorStrings(v, inError || k === "error" || k === "errors" || k === "formErrors"),
    );
  }
  return [];
}

const CJK = /[\u4e00-\u9fff]/;

/** A refusal the page can show: dictionary keys only, and in the page's language once translated. */
function expectReadable(reply: Awaited<ReturnType<typeof send>>, what: string) {
  expect(reply.status, what).toBeLessThan(500);
  expect(reply.text, what).not.toMatch(ZOD_DEFAULT);
  const t = translator(reply.locale);
  for (const raw of errorStrings(reply.json)) {
    expect(Object.keys(zhCN), `${what}: ${raw}`).toContain(raw.split("|")[0]);
    const text = messageText(t, raw);
    expect(text, what).not.toMatch(ZOD_DEFAULT);
    if (reply.locale === "zh-CN") expect(text, `${what}: ${raw}`).toMatch(CJK);
    else expect(text, `${what}: ${raw}`).not.toMatch(CJK);
  }
}

const fieldErrors = (json: unknown) => errorStrings(json);

test("every route that parses a form has its forms here", () => {
  const parsing = routeModules()
    .filter((file) => /export async function action/.test(fs.readFileSync(path.join(ROUTES, file), "utf8")))
    .filter((file) => /parseWithZod|parseForm\(/.test(fs.readFileSync(path.join(ROUTES, file), "utf8")));
  expect(Object.keys(FORMS).sort()).toEqual(parsing.sort());
});

test("routes parse forms with the app's messages, not Conform's bare parseWithZod", () => {
  const bare = routeModules().filter((file) =>
    /\bparseWithZod\b/.test(fs.readFileSync(path.join(ROUTES, file), "utf8")),
  );
  expect(bare).toEqual([]);
});

const cases = Object.entries(FORMS).flatMap(([file, forms]) =>
  forms.map((form) => ({ file, form, label: `${file} · ${form.name}` })),
);

describe.each(["zh-CN", "en"] as const)("in %s", (locale) => {
  test.each(cases)(
    "$label: empty, as JSON, and with every field spoiled — a 400 with readable field errors",
    async ({ file, form }) => {
      const fixed = Object.entries(form.fixed?.(w) ?? {});
      const fields = Object.keys(form.valid(w));

      const empty = await send(file, form, locale, { body: body(file, fixed) });
      expect(empty.status, "empty").toBe(400);
      expect(fieldErrors(empty.json).length, "empty").toBeGreaterThan(0);
      expectReadable(empty, "empty");

      for (const value of WRONG) {
        const all = await send(file, form, locale, {
          body: body(file, [...fixed, ...fields.map((k) => [k, value] as [string, string])]),
        });
        // some forms take a value in every field (a name and a phone number may both be digits)
        expectReadable(all, `all fields ${value.slice(0, 12)}`);
      }

      const twice = await send(file, form, locale, {
        body: body(file, [
          ...fixed,
          ...fields.flatMap(
            (k) =>
              [
                [k, "1"],
                [k, "2"],
              ] as [string, string][],
          ),
        ]),
      });
      expect(twice.status, "every field twice").toBe(400);
      expectReadable(twice, "every field twice");

      for (const notForm of [
        {
          body: JSON.stringify(Object.fromEntries([...fixed, ...Object.entries(form.valid(w))])),
          headers: { "Content-Type": "application/json" },
        },
        { body: "not a form", headers: { "Content-Type": "text/plain" } },
        { body: "--x\r\nbroken", headers: { "Content-Type": "multipart/form-data; boundary=x" } },
      ]) {
        const reply = await send(file, form, locale, notForm);
        expect(reply.status, notForm.headers["Content-Type"]).toBe(400);
        expectReadable(reply, notForm.headers["Content-Type"]);
      }
    },
  );
});

// One field wrong at a time, the rest right: the wrong value has to be caught by the form, not the database.
// Run once (zh-CN) — the languages differ only in how the keys read, checked above.
test.each(cases)(
  "$label: one wrong field among right ones is refused by the form, not the database",
  async ({ file, form }) => {
    const fixed = Object.entries(form.fixed?.(w) ?? {});
    const valid = form.valid(w);
    for (const field of Object.keys(valid)) {
      for (const value of [...WRONG, "__two__"]) {
        const entries: [string, string][] = [...fixed];
        for (const [k, v] of Object.entries(valid)) {
          if (k !== field) entries.push([k, v]);
          else if (value === "__two__") entries.push([k, v], [k, v]);
          else entries.push([k, value]);
        }
        expectReadable(
          await send(file, form, "zh-CN", { body: body(file, entries) }),
          `${field}=${value.slice(0, 12)}`,
        );
      }
    }
  },
);
