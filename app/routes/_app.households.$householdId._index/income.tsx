import { useLocale, type Translate } from "~/i18n";
import { fenToYuan } from "~/utils/units";
import type { LoaderData } from "./route";
import { cropLabel } from "~/utils/reference";

type IncomeView = LoaderData["income"];

export function Income({ income, year, t }: { income: IncomeView; year: number; t: Translate }) {
  const locale = useLocale();
  return (
    <section id="income" aria-labelledby="income-title">
      <h2 id="income-title">{t("record.income.title", { year })}</h2>
      <ul className="stats" data-testid="income">
        <li className="stat">
          <b data-testid="income-expected">{fenToYuan(income.expectedFen)}</b>
          <span>{t("record.income.expected")}</span>
        </li>
        <li className="stat">
          <b data-testid="income-actual">{fenToYuan(income.actual.amountFen)}</b>
          <span>
            {t("record.income.actual")} · {t("record.income.deliveredKg", { kg: income.actual.deliveredKg })}
          </span>
        </li>
        <li className="stat">
          <b>{fenToYuan(income.actual.paidFen)}</b>
          <span>{t("record.income.paid")}</span>
        </li>
      </ul>
      {income.incomeTargetFen != null ? (
        <p className="small muted">{t("record.income.target", { value: fenToYuan(income.incomeTargetFen) })}</p>
      ) : null}
      {!income.hasPlan ? <p className="muted">{t("record.income.noPlan")}</p> : null}
      {income.items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("col.crop")}</th>
                <th scope="col" className="num">
                  {t("record.income.yieldKg")}
                </th>
                <th scope="col" className="num">
                  {t("record.income.price")}
                </th>
                <th scope="col" className="num">
                  {t("record.income.expectedShort")}
                </th>
              </tr>
            </thead>
            <tbody>
              {income.items.map((i, n) => (
                <tr key={n}>
                  <th scope="row">{cropLabel(i, locale)}</th>
                  <td className="num">{i.expectedYieldKg}</td>
                  <td className="num">
                    {i.unitPriceFen === null ? "—" : fenToYuan(i.unitPriceFen)}
                    <br />
                    <span className="muted small">{t(`record.income.source.${i.source ?? "none"}`)}</span>
                  </td>
                  <td className="num">{fenToYuan(i.expectedFen)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  {t("record.income.total")}
                </th>
                <td className="num">{fenToYuan(income.expectedFen)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
      <p className="small muted">{t("record.income.note")}</p>
    </section>
  );
}
