// Registry import, the checks: every row of a parsed file against the rules a household and a member
// keep in the registry (ID numbers, allowed values, one head per household, villages in the caller's
// scope, no person twice). Each bad row is listed by its spreadsheet row number.
// - the dry run and the commit call the very same checks (checkRows is pure apart from the reads passed in);
// - duplicates against the database are found with one set-based query, never a query per row;
// - only a role holding household.import reads the villages it may import into.

import { sql } from "drizzle-orm";
import { type DbOrTx, queryRows } from "../../db/client";
import { households, members, regions, type ImportRowError, type ImportSummary } from "../../db/schema";
import { HEALTH, LABOUR, POVERTY_STATUSES, RELATIONS, SEXES } from "~/vocabulary";
import { message, MAX_AREA_SQM } from "~/schemas/fields";
import { parseIdNumber } from "~/utils/id-number";
import { assertCan, householdInScope, type Scope } from "./scope.server";
import { allEntries } from "./reference-lists.server";
import {
  IMPORT_COLUMNS,
  type ColumnKey,
  type ImportColumn,
  type ParsedFile,
  type ParsedRow,
} from "./import-parse.server";

// ---------- the words a coded column accepts ----------

const RELATION_WORDS: Record<string, (typeof RELATIONS)[number]> = {
  户主: "head",
  本人: "head",
  配偶: "spouse",
  妻: "spouse",
  妻子: "spouse",
  夫: "spouse",
  丈夫: "spouse",
  子女: "child",
  子: "child",
  女: "child",
  儿子: "child",
  女儿: "child",
  长子: "child",
  次子: "child",
  长女: "child",
  次女: "child",
  之子: "child",
  之女: "child",
  "儿媳/女婿": "child_in_law",
  儿媳: "child_in_law",
  女婿: "child_in_law",
  孙辈: "grandchild",
  孙子: "grandchild",
  孙女: "grandchild",
  外孙子: "grandchild",
  外孙女: "grandchild",
  父母: "parent",
  父亲: "parent",
  母亲: "parent",
  公公: "parent",
  婆婆: "parent",
  岳父: "parent",
  岳母: "parent",
  兄弟姐妹: "sibling",
  兄弟: "sibling",
  姐妹: "sibling",
  兄: "sibling",
  弟: "sibling",
  姐: "sibling",
  妹: "sibling",
  其他: "other",
};
const SEX_WORDS: Record<string, (typeof SEXES)[number]> = { 男: "male", 女: "female" };
const HEALTH_WORDS: Record<string, (typeof HEALTH)[number]> = {
  健康: "healthy",
  慢性病: "chronic",
  长期慢性病: "chronic",
  大病: "serious",
  患有大病: "serious",
  残疾: "disabled",
};
const LABOUR_WORDS: Record<string, (typeof LABOUR)[number]> = {
  有劳动力: "full",
  普通劳动力: "full",
  技能劳动力: "full",
  弱劳动力: "partial",
  半劳动力: "partial",
  无劳动力: "none",
  丧失劳动力: "none",
  在校生: "student",
  学生: "student",
};
const STATUS_WORDS: Record<string, (typeof POVERTY_STATUSES)[number]> = {
  建档立卡贫困户: "registered",
  贫困户: "registered",
  监测户: "monitored",
  防返贫监测户: "monitored",
  脱贫不稳定户: "monitored",
  边缘易致贫户: "monitored",
  突发严重困难户: "monitored",
  已脱贫: "lifted",
  脱贫户: "lifted",
};
/** The poverty causes' list as the import reads it: live entries by Chinese name or code, retired ones to name in a refusal. */
export type CauseRef = { code: string; nameZh: string; retired: boolean };

const COLUMN_BY_KEY = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.key, c])) as Record<ColumnKey, ImportColumn>;

const MAX_MEMBERS_PER_HOUSEHOLD = 20;

// ---------- checking the rows ----------

export type VillageRef = {
  id: string;
  name: string;
  code: string;
  townshipId: string;
  townshipName: string;
  countyId: string;
};
type GroupRef = { id: string; name: string; villageId: string };

export type PreparedMember = {
  name: string;
  idNumber: string;
  relation: (typeof RELATIONS)[number];
  sex: (typeof SEXES)[number];
  birthDate: string;
  health: (typeof HEALTH)[number];
  labourAbility: (typeof LABOUR)[number];
  phone: string | null;
};
export type PreparedHousehold = {
  key: string;
  firstRow: number;
  village: VillageRef;
  groupId: string | null;
  povertyStatus: (typeof POVERTY_STATUSES)[number];
  povertyCause: string;
  courtyardArea: number | null;
  address: string | null;
  members: PreparedMember[];
};
export type CheckResult = {
  errors: ImportRowError[];
  households: PreparedHousehold[];
  summary: ImportSummary;
};

/** The villages (and their groups) a scope may import into: an official's township, an admin's county. */
export async function villagesInScope(d: DbOrTx, scope: Scope, lock = false) {
  // locked in id order, so an admin's import and an official's never wait on each other in a circle
  assertCan(scope, "household.import");
  const rows = await queryRows<{
    id: string;
    name: string;
    code: string;
    township_id: string;
    township_name: string;
    county_id: string;
  }>(
    d,
    sql`select v.id, v.name, v.code, t.id as township_id, t.name as township_name, v.county_id
        from ${regions} v join ${regions} t on t.id = v.parent_id
        where v.level = 'village' and v.retired_at is null and ${
          scope.role === "official" ? sql`v.parent_id = ${scope.townshipId}` : sql`v.county_id = ${scope.countyId}`
        }
        order by v.id${lock ? sql` for update of v` : sql``}`,
  );
  const villages: VillageRef[] = rows.map((r) => ({
    id: r.id,
    name: r.name,
    code: r.code,
    townshipId: r.township_id,
    townshipName: r.township_name,
    countyId: r.county_id,
  }));
  const groups = villages.length
    ? await queryRows<{ id: string; name: string; parent_id: string }>(
        d,
        sql`select id, name, parent_id from ${regions} where level = 'group' and parent_id = any(${pgTextArray(villages.map((v) => v.id))}::uuid[])`,
      )
    : [];
  return { villages, groups: groups.map((g) => ({ id: g.id, name: g.name, villageId: g.parent_id })) };
}

/** One array parameter, not one parameter per value: no 65,535-parameter limit, one plan for any size. */
export function pgTextArray(values: string[]): string {
  // only ever called with checked ID numbers and uuids: no quoting needed, asserted anyway
  for (const v of values) if (!/^[0-9A-Za-z-]+$/.test(v)) throw new Error(`unsafe array element: ${v}`);
  return `{${values.join(",")}}`;
}

/**
 * Which of these ID numbers are registered already — one query however many there are — and whether
 * the household holding each is in the caller's scope (the refusal says "registered" only then).
 */
export async function registeredIdNumbers(d: DbOrTx, scope: Scope, idNumbers: string[]): Promise<Map<string, boolean>> {
  const found = new Map<string, boolean>();
  for (let i = 0; i < idNumbers.length; i += 50_000) {
    const chunk = idNumbers.slice(i, i + 50_000);
    const rows = await queryRows<{ id_number: string; in_scope: boolean }>(
      d,
      sql`select ${members.idNumber} as id_number, (${householdInScope(scope)}) as in_scope from ${members} join ${households} on ${households.id} = ${members.householdId} where ${members.idNumber} = any(${pgTextArray(chunk)}::text[])`,
    );
    for (const r of rows) found.set(r.id_number, r.in_scope === true || String(r.in_scope) === "t");
  }
  return found;
}

const DATE_RE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;
function parseDate(s: string): string | null {
  let m = DATE_RE.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) {
    // a date cell read as text by another program, e.g. "1966-04-12T00:00:00.000Z"
    m = /^(\d{4})-(\d{2})-(\d{2})T/.exec(s);
    if (!m) return null;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function lookup<T>(words: Record<string, T>, codes: readonly T[], raw: string): T | null {
  const s = raw.replace(/\s/g, "");
  if (s in words) return words[s];
  const lower = s.toLowerCase() as T;
  return codes.includes(lower) ? lower : null;
}

const PHONE_RE = /^[0-9+\- ]{7,20}$/;

/** Rows between two pauses: a big file must not keep the server from answering other requests. */
const YIELD_EVERY = 2000;
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Checks every row: required cells, ID numbers (length, format, birth date, checksum), sex and birth date
 * against the number, allowed values, duplicates in the file and in the database, villages in the
 * caller's scope, one head per household, household cells that agree. Pure apart from the two reads
 * passed in, so the dry run and the commit run the very same rules.
 */
export async function checkRows(
  parsed: ParsedFile,
  ctx: {
    villages: VillageRef[];
    groups: GroupRef[];
    registered: Map<string, boolean>;
    causes: CauseRef[];
    today?: Date;
  },
  onProgress?: (done: number) => void | Promise<void>,
): Promise<CheckResult> {
  const errors: ImportRowError[] = [];
  const add = (row: number, column: ColumnKey | undefined, msg: string) =>
    errors.push({ row, column: column ? COLUMN_BY_KEY[column].header : undefined, message: msg });
  const required = (col: ColumnKey) => message("import.error.required", { column: COLUMN_BY_KEY[col].header });
  const choice = (col: ColumnKey, value: string) =>
    message("import.error.choice", {
      column: COLUMN_BY_KEY[col].header,
      value,
      allowed: (COLUMN_BY_KEY[col].values ?? []).join("、"),
    });

  // a cause by its Chinese name or its code; a retired one is named in the refusal, not taken
  const causeWords = new Map<string, CauseRef>();
  for (const c of ctx.causes) {
    for (const k of [c.code, c.nameZh.replace(/\s/g, "")]) if (!causeWords.get(k) || !c.retired) causeWords.set(k, c);
  }
  const liveCauses = ctx.causes.filter((c) => !c.retired).map((c) => c.nameZh);
  const causeOf = (raw: string) => causeWords.get(raw.replace(/\s/g, "")) ?? causeWords.get(raw.trim().toLowerCase());

  const villagesByName = new Map<string, VillageRef[]>();
  for (const v of ctx.villages) {
    for (const k of new Set([v.name, v.code])) {
      const list = villagesByName.get(k) ?? [];
      list.push(v);
      villagesByName.set(k, list);
    }
  }
  const groupsByVillage = new Map<string, Map<string, string>>();
  for (const g of ctx.groups) {
    const m = groupsByVillage.get(g.villageId) ?? new Map<string, string>();
    m.set(g.name, g.id);
    groupsByVillage.set(g.villageId, m);
  }

  // persons, and rows grouped by household key in order of first appearance
  type Person = { row: ParsedRow; member: PreparedMember | null };
  const byHousehold = new Map<string, Person[]>();
  const seenIds = new Map<string, number>();
  const today = ctx.today ?? new Date();
  for (const [index, r] of parsed.rows.entries()) {
    if (index % YIELD_EVERY === 0 && index > 0) {
      await onProgress?.(index);
      await yieldToOthers();
    }
    const c = r.cells;
    let ok = true;
    const fail = (col: ColumnKey | undefined, msg: string) => {
      ok = false;
      add(r.row, col, msg);
    };
    if (!c.householdKey) fail("householdKey", required("householdKey"));
    if (!c.name) fail("name", required("name"));
    else if (c.name.length > 30) fail("name", message("import.error.tooLong", { column: "姓名", max: 30 }));

    let idNumber: string | null = null;
    let idBirth: string | null = null;
    let idSex: string | null = null;
    if (r.idAsNumber) fail("idNumber", "import.error.idAsNumber");
    else if (!c.idNumber) fail("idNumber", required("idNumber"));
    else {
      const id = parseIdNumber(c.idNumber, today);
      if (!id.ok) fail("idNumber", `idNumber.${id.reason}`);
      else {
        idNumber = id.idNumber;
        idBirth = id.birthDate;
        idSex = id.sex;
        const first = seenIds.get(idNumber);
        if (first !== undefined) fail("idNumber", message("import.error.duplicateInFile", { row: first }));
        else {
          seenIds.set(idNumber, r.row);
          const inScope = ctx.registered.get(idNumber);
          if (inScope !== undefined) fail("idNumber", inScope ? "import.error.duplicateInDb" : "idNumber.unavailable");
        }
      }
    }

    const relation = c.relation ? lookup(RELATION_WORDS, RELATIONS, c.relation) : null;
    if (!c.relation) fail("relation", required("relation"));
    else if (!relation) fail("relation", choice("relation", c.relation));

    const sex = c.sex ? lookup(SEX_WORDS, SEXES, c.sex) : null;
    if (!c.sex) fail("sex", required("sex"));
    else if (!sex) fail("sex", choice("sex", c.sex));
    else if (idSex && idSex !== sex) fail("sex", "idNumber.sexMismatch");

    if (c.birthDate) {
      const birth = parseDate(c.birthDate);
      if (!birth) fail("birthDate", message("import.error.badDate", { value: c.birthDate }));
      else if (idBirth && birth !== idBirth)
        fail("birthDate", message("import.error.birthDateMismatch", { birth: idBirth }));
    }
    const health = c.health ? lookup(HEALTH_WORDS, HEALTH, c.health) : "healthy";
    if (!health) fail("health", choice("health", c.health!));
    const labour = c.labourAbility ? lookup(LABOUR_WORDS, LABOUR, c.labourAbility) : "full";
    if (!labour) fail("labourAbility", choice("labourAbility", c.labourAbility!));
    if (c.phone && !PHONE_RE.test(c.phone)) fail("phone", "field.phone");

    const member =
      ok && idNumber && idBirth && relation && sex && health && labour
        ? {
            name: c.name!,
            idNumber,
            relation,
            sex,
            birthDate: idBirth,
            health,
            labourAbility: labour,
            phone: c.phone ?? null,
          }
        : null;
    if (c.householdKey) {
      const list = byHousehold.get(c.householdKey) ?? [];
      list.push({ row: r, member });
      byHousehold.set(c.householdKey, list);
    }
  }

  // households: one head, cells that agree, a village in scope
  const prepared: PreparedHousehold[] = [];
  const usedVillages = new Set<string>();
  for (const [key, persons] of byHousehold) {
    let ok = persons.every((p) => p.member !== null);
    const firstRow = persons[0].row.row;
    const value = (col: ColumnKey) => {
      let found: { value: string; row: number } | null = null;
      for (const p of persons) {
        const v = p.row.cells[col];
        if (!v) continue;
        if (!found) found = { value: v, row: p.row.row };
        else if (v !== found.value) {
          ok = false;
          add(
            p.row.row,
            col,
            message("import.error.householdMismatch", { column: COLUMN_BY_KEY[col].header, key, row: found.row }),
          );
        }
      }
      return found;
    };
    const heads = persons.filter(
      (p) => p.row.cells.relation && lookup(RELATION_WORDS, RELATIONS, p.row.cells.relation) === "head",
    );
    if (heads.length === 0) {
      ok = false;
      add(firstRow, "relation", message("import.error.noHead", { key }));
    }
    for (const extra of heads.slice(1)) {
      ok = false;
      add(extra.row.row, "relation", message("import.error.twoHeads", { key, row: heads[0].row.row }));
    }
    if (persons.length > MAX_MEMBERS_PER_HOUSEHOLD) {
      ok = false;
      add(
        persons[MAX_MEMBERS_PER_HOUSEHOLD].row.row,
        "householdKey",
        message("import.error.tooManyMembers", { key, max: MAX_MEMBERS_PER_HOUSEHOLD }),
      );
    }

    const township = value("township");
    const villageCell = value("village");
    let village: VillageRef | null = null;
    if (!villageCell) {
      ok = false;
      add(firstRow, "village", required("village"));
    } else {
      let candidates = villagesByName.get(villageCell.value) ?? villagesByName.get(villageCell.value + "村") ?? [];
      if (township)
        candidates = candidates.filter((v) => v.townshipName === township.value || v.townshipId === township.value);
      if (candidates.length === 1) village = candidates[0];
      else {
        ok = false;
        // outside the caller's scope reads the same as not there at all: nothing is told about other townships
        add(
          villageCell.row,
          "village",
          candidates.length === 0
            ? message("import.error.unknownVillage", { value: villageCell.value })
            : message("import.error.ambiguousVillage", { value: villageCell.value }),
        );
      }
    }
    const groupCell = value("group");
    let groupId: string | null = null;
    if (village && groupCell) {
      groupId = groupsByVillage.get(village.id)?.get(groupCell.value) ?? null;
      if (!groupId) {
        ok = false;
        add(
          groupCell.row,
          "group",
          message("import.error.unknownGroup", { value: groupCell.value, village: village.name }),
        );
      }
    }
    const statusCell = value("povertyStatus");
    const status = statusCell ? lookup(STATUS_WORDS, POVERTY_STATUSES, statusCell.value) : null;
    if (!statusCell) add(heads[0]?.row.row ?? firstRow, "povertyStatus", required("povertyStatus"));
    else if (!status) add(statusCell.row, "povertyStatus", choice("povertyStatus", statusCell.value));
    const causeCell = value("povertyCause");
    const causeRef = causeCell ? causeOf(causeCell.value) : undefined;
    const cause = causeRef && !causeRef.retired ? causeRef.code : null;
    const causeRefused = (kind: "choice" | "retiredChoice", value: string) =>
      message(`import.error.${kind}`, {
        column: COLUMN_BY_KEY.povertyCause.header,
        value,
        allowed: liveCauses.join("、"),
      });
    if (!causeCell) add(heads[0]?.row.row ?? firstRow, "povertyCause", required("povertyCause"));
    else if (causeRef?.retired) add(causeCell.row, "povertyCause", causeRefused("retiredChoice", causeCell.value));
    else if (!cause) add(causeCell.row, "povertyCause", causeRefused("choice", causeCell.value));
    const areaCell = value("courtyardArea");
    let area: number | null = null;
    if (areaCell) {
      area = Number(areaCell.value.replace(/,/g, ""));
      if (!Number.isFinite(area) || area < 0 || area > MAX_AREA_SQM) {
        ok = false;
        add(
          areaCell.row,
          "courtyardArea",
          message("import.error.badArea", { value: areaCell.value, max: MAX_AREA_SQM }),
        );
      } else area = Math.round(area * 100) / 100;
    }
    const address = value("address");
    if (address && address.value.length > 100) {
      ok = false;
      add(address.row, "address", message("import.error.tooLong", { column: "家庭住址", max: 100 }));
    }

    if (ok && village && status && cause) {
      usedVillages.add(village.id);
      prepared.push({
        key,
        firstRow,
        village,
        groupId,
        povertyStatus: status,
        povertyCause: cause,
        courtyardArea: area,
        address: address?.value ?? null,
        // the head first: the household's head name and phone come from that row
        members: persons
          .map((p) => p.member!)
          .sort((a, b) => Number(b.relation === "head") - Number(a.relation === "head")),
      });
    }
  }
  await onProgress?.(parsed.rows.length);

  errors.sort((a, b) => a.row - b.row);
  const badRows = new Set(errors.map((e) => e.row)).size;
  return {
    errors,
    households: prepared,
    summary: {
      rows: parsed.rows.length,
      households: byHousehold.size,
      members: parsed.rows.length,
      badRows,
      villages: usedVillages.size,
    },
  };
}

/** Reads what the rules need (villages in scope, registered ID numbers) and checks every row. */
export async function checkImport(
  d: DbOrTx,
  scope: Scope,
  parsed: ParsedFile,
  opts: { lock?: boolean; onProgress?: (done: number) => void | Promise<void> } = {},
) {
  const { villages, groups } = await villagesInScope(d, scope, opts.lock);
  const ids: string[] = [];
  for (const r of parsed.rows) {
    const id = r.cells.idNumber ? parseIdNumber(r.cells.idNumber) : null;
    if (id?.ok) ids.push(id.idNumber);
  }
  const registered = await registeredIdNumbers(d, scope, ids);
  const causes = await allEntries(d, "povertyCauses");
  return checkRows(parsed, { villages, groups, registered, causes }, opts.onProgress);
}
