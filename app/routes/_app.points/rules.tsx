import { useT } from "~/i18n";
import { signed } from "./format";

/** What each kind of entry is worth in this township, from its settings. */
export function Rules({
  values,
}: {
  values: Record<"checkOnTime" | "checkLate" | "problemFound" | "problemSolved" | "householdOverdue", number>;
}) {
  const t = useT();
  const rows = [
    ["points.rules.checkOnTime", values.checkOnTime],
    ["points.rules.checkLate", values.checkLate],
    ["points.rules.problemFound", values.problemFound],
    ["points.rules.problemSolved", values.problemSolved],
    ["points.rules.householdOverdue", values.householdOverdue],
  ] as const;
  return (
    <details className="inline points-rules">
      <summary>{t("points.rules.title")}</summary>
      <ul className="timeline">
        {rows.map(([key, value]) => (
          <li key={key}>
            {t(key)} <b>{signed(value)}</b>
          </li>
        ))}
        <li>{t("points.rules.adjustment")}</li>
      </ul>
    </details>
  );
}
