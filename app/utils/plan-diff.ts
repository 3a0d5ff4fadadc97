// What an amendment changes in a plan, field by field (domain rule 10): zones, each crop and animal by its
// code, the measures line by line, the income target. Plain data, so the model computes it and a page
// (the plan's, the approvals queue) tells it in the reader's language.

export type DiffContent = {
  courtyardArea: number;
  livingArea: number;
  plantingArea: number;
  raisingArea: number;
  plantingItems: { cropCode: string; area: number; expectedYieldKg: number }[];
  raisingItems: { animalCode: string; headCount: number }[];
  measures: string[];
  incomeTargetFen: number;
};

export const ZONE_FIELDS = ["courtyardArea", "livingArea", "plantingArea", "raisingArea"] as const;
export type ZoneField = (typeof ZONE_FIELDS)[number];

export type Named = { code: string; zh: string; en: string };

export type PlanChange =
  | { kind: "zone"; field: ZoneField; from: number; to: number }
  | {
      kind: "crop";
      crop: Named;
      from: { area: number; expectedYieldKg: number } | null;
      to: { area: number; expectedYieldKg: number } | null;
    }
  | { kind: "animal"; animal: Named; from: number | null; to: number | null }
  | { kind: "measures"; added: string[]; removed: string[] }
  | { kind: "incomeTarget"; from: number; to: number };

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Head counts per animal: a plan may list an animal on more than one line. */
function herd(items: DiffContent["raisingItems"]) {
  const out = new Map<string, number>();
  for (const i of items) out.set(i.animalCode, (out.get(i.animalCode) ?? 0) + i.headCount);
  return out;
}

/**
 * The changes from `before` to `after`, in the order a plan page shows its fields. `names` gives a crop's or
 * an animal's words; a code without words is told by its code.
 */
export function planChanges(
  before: DiffContent,
  after: DiffContent,
  names: (code: string) => Named = (code) => ({ code, zh: code, en: code }),
): PlanChange[] {
  const out: PlanChange[] = [];
  for (const field of ZONE_FIELDS) {
    if (round2(before[field]) !== round2(after[field]))
      out.push({ kind: "zone", field, from: before[field], to: after[field] });
  }
  const crops = new Map(before.plantingItems.map((i) => [i.cropCode, i]));
  const cropsAfter = new Map(after.plantingItems.map((i) => [i.cropCode, i]));
  for (const code of new Set([...crops.keys(), ...cropsAfter.keys()])) {
    const b = crops.get(code);
    const a = cropsAfter.get(code);
    if (b && a && round2(b.area) === round2(a.area) && round2(b.expectedYieldKg) === round2(a.expectedYieldKg))
      continue;
    out.push({
      kind: "crop",
      crop: names(code),
      from: b ? { area: b.area, expectedYieldKg: b.expectedYieldKg } : null,
      to: a ? { area: a.area, expectedYieldKg: a.expectedYieldKg } : null,
    });
  }
  const animals = herd(before.raisingItems);
  const animalsAfter = herd(after.raisingItems);
  for (const code of new Set([...animals.keys(), ...animalsAfter.keys()])) {
    const b = animals.get(code) ?? null;
    const a = animalsAfter.get(code) ?? null;
    if (b !== a) out.push({ kind: "animal", animal: names(code), from: b, to: a });
  }
  const added = after.measures.filter((m) => !before.measures.includes(m));
  const removed = before.measures.filter((m) => !after.measures.includes(m));
  if (added.length || removed.length) out.push({ kind: "measures", added, removed });
  if (before.incomeTargetFen !== after.incomeTargetFen)
    out.push({ kind: "incomeTarget", from: before.incomeTargetFen, to: after.incomeTargetFen });
  return out;
}

/** A plan row with its items as the content an amendment carries. */
export function contentOf(plan: DiffContent): DiffContent {
  return {
    courtyardArea: plan.courtyardArea,
    livingArea: plan.livingArea,
    plantingArea: plan.plantingArea,
    raisingArea: plan.raisingArea,
    plantingItems: plan.plantingItems.map((i) => ({
      cropCode: i.cropCode,
      area: i.area,
      expectedYieldKg: i.expectedYieldKg,
    })),
    raisingItems: plan.raisingItems.map((i) => ({ animalCode: i.animalCode, headCount: i.headCount })),
    measures: [...plan.measures],
    incomeTargetFen: plan.incomeTargetFen,
  };
}
