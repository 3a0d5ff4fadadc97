import { useLoaderData } from "@remix-run/react";
import { useT, type MessageKey, type Translate } from "~/i18n";
import type { loader } from "./route";
import { DATE_AND_TIME, dateTimeFormat } from "~/utils/intl";

/** The household's audit trail: who changed what, newest first. */
export function History() {
  const { history } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h2>{t("record.history")}</h2>
      {history.length === 0 ? <p className="muted">{t("record.noHistory")}</p> : null}
      <ul className="timeline" data-testid="history">
        {history.map((e) => (
          <li key={e.id}>
            <time>
              {dateTimeFormat("zh-CN", { ...DATE_AND_TIME, timeZone: "Asia/Shanghai" }).format(new Date(e.at))}
            </time>{" "}
            · {e.userName ?? "—"} · {auditLabel(t, e.action)}
            {e.changed.length > 0 && (e.action.endsWith(".update") || e.action === "plan.amend") ? (
              <span className="muted small">（{e.changed.map((f) => fieldLabel(t, f)).join("、")}）</span>
            ) : null}
            {e.reason ? <span className="muted small">（{e.reason}）</span> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

const FIELD_LABELS: Record<string, Parameters<Translate>[0]> = {
  courtyardArea: "plan.courtyardArea",
  livingArea: "plan.livingArea",
  plantingArea: "plan.plantingArea",
  raisingArea: "plan.raisingArea",
  plantingItems: "plan.plantingItems",
  raisingItems: "plan.raisingItems",
  measures: "plan.measures",
  incomeTargetFen: "plan.incomeTarget",
  status: "plan.status",
  address: "household.address",
  phone: "household.phone",
  povertyStatus: "col.status",
  povertyCause: "col.cause",
  villageId: "col.village",
  groupId: "col.group",
  name: "col.name",
  idNumber: "col.idNumber",
  relation: "col.relation",
  sex: "col.sex",
  health: "col.health",
  labourAbility: "col.labour",
  headName: "col.head",
};
/** A history line's words; an action without its own words (added later) still reads as a change. */
function auditLabel(t: Translate, action: string) {
  const key = `audit.${action}` as MessageKey;
  const text = t(key);
  return text === key ? t("audit.other") : text;
}

function fieldLabel(t: Translate, field: string) {
  const key = FIELD_LABELS[field];
  return key ? t(key) : field;
}
