import { useLocale, useT, type MessageKey, type Translate } from "~/i18n";
import type { PlanChange, ZoneField } from "~/utils/plan-diff";
import { fenToYuan, sqmToMu } from "~/utils/units";

const ZONE_LABEL: Record<ZoneField, MessageKey> = {
  courtyardArea: "plan.courtyardArea",
  livingArea: "plan.livingArea",
  plantingArea: "plan.plantingArea",
  raisingArea: "plan.raisingArea",
};

/** An amendment's changes, one line each: 种植区 300 → 350 平方米, 删除 辣椒, 新增 马铃薯 … */
export function PlanChanges({ changes, testId }: { changes: PlanChange[]; testId?: string }) {
  const t = useT();
  const locale = useLocale();
  if (changes.length === 0) return <p className="muted small">{t("amendment.noChanges")}</p>;
  return (
    <ul className="changes" data-testid={testId}>
      {changes.flatMap((c, i) =>
        lines(t, locale === "en" ? "en" : "zh", c).map((text, j) => <li key={`${i}-${j}`}>{text}</li>),
      )}
    </ul>
  );
}

function lines(t: Translate, lang: "zh" | "en", c: PlanChange): string[] {
  switch (c.kind) {
    case "zone":
      return [t("amendment.change.zone", { field: t(ZONE_LABEL[c.field]), from: c.from, to: c.to })];
    case "crop": {
      const crop = c.crop[lang];
      if (!c.from && c.to)
        return [
          t("amendment.change.cropAdded", { crop, area: c.to.area, mu: sqmToMu(c.to.area), kg: c.to.expectedYieldKg }),
        ];
      if (c.from && !c.to)
        return [t("amendment.change.cropRemoved", { crop, area: c.from.area, mu: sqmToMu(c.from.area) })];
      return [
        t("amendment.change.cropChanged", {
          crop,
          fromArea: c.from?.area ?? 0,
          toArea: c.to?.area ?? 0,
          fromKg: c.from?.expectedYieldKg ?? 0,
          toKg: c.to?.expectedYieldKg ?? 0,
        }),
      ];
    }
    case "animal": {
      const animal = c.animal[lang];
      if (c.from === null) return [t("amendment.change.animalAdded", { animal, count: c.to ?? 0 })];
      if (c.to === null) return [t("amendment.change.animalRemoved", { animal, count: c.from })];
      return [t("amendment.change.animalChanged", { animal, from: c.from, to: c.to })];
    }
    case "measures":
      return [
        ...c.added.map((text) => t("amendment.change.measureAdded", { text })),
        ...c.removed.map((text) => t("amendment.change.measureRemoved", { text })),
      ];
    case "incomeTarget":
      return [t("amendment.change.incomeTarget", { from: fenToYuan(c.from), to: fenToYuan(c.to) })];
  }
}
