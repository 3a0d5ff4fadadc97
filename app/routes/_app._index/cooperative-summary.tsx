import { Link } from "@remix-run/react";
import { useLocale, type Translate } from "~/i18n";
import type { cooperativeOverview, cooperativeWork } from "~/models/overview.server";
import { fenToYuan } from "~/utils/units";
import { numberFormat } from "~/utils/intl";

export function CooperativeSummary({
  data,
  work,
  t,
}: {
  data: Awaited<ReturnType<typeof cooperativeOverview>>;
  work: Awaited<ReturnType<typeof cooperativeWork>>;
  t: Translate;
}) {
  const locale = useLocale();
  const fmt = numberFormat(locale);
  return (
    <>
      <ClerkWork work={work} t={t} />
      <ul className="stats">
        <li className="stat">
          <b>{fmt.format(data.summary.members)}</b>
          <span>{t("stat.currentMembers")}</span>
        </li>
        <li className="stat">
          <b>{fmt.format(data.summary.orders)}</b>
          <span>{t("stat.orders")}</span>
        </li>
        <li className="stat">
          <b>{fmt.format(data.summary.orderedKg)}</b>
          <span>{t("stat.orderedKg")}</span>
        </li>
      </ul>
      <h2>{t("clerk.orders")}</h2>
      {data.orders.length === 0 ? <p className="muted">{t("clerk.noOrders")}</p> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("col.crop")}</th>
              <th scope="col">{t("col.buyer")}</th>
              <th scope="col" className="num">
                {t("col.quantityKg")}
              </th>
              <th scope="col" className="num">
                {t("col.unitPrice")}
              </th>
              <th scope="col">{t("col.deliveryWindow")}</th>
              <th scope="col">{t("col.orderStatus")}</th>
            </tr>
          </thead>
          <tbody>
            {data.orders.map((o) => (
              <tr key={o.id} className={o.counted ? undefined : "muted"}>
                <td>{locale === "en" ? o.cropEn : o.crop}</td>
                <td>{o.buyer}</td>
                <td className="num">{fmt.format(o.quantityKg)}</td>
                <td className="num">{(o.unitPriceFen / 100).toFixed(2)}</td>
                <td>
                  {o.deliveryStart} – {o.deliveryEnd}
                </td>
                <td>{t(`orders.status.${o.status as "draft"}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** This week's deliveries still short, and what buyers still owe: each order a link to its page. */
function ClerkWork({ work, t }: { work: Awaited<ReturnType<typeof cooperativeWork>>; t: Translate }) {
  const locale = useLocale();
  const fmt = numberFormat(locale);
  const crop = (o: { crop: string; cropEn: string }) => (locale === "en" ? o.cropEn : o.crop);
  return (
    <div className="clerk-work">
      <section aria-labelledby="due-week-title">
        <h2 id="due-week-title">
          {t("home.clerk.dueThisWeek")}{" "}
          <span className="muted small">{t("home.clerk.dueWeek", { from: work.week.from, to: work.week.to })}</span>
        </h2>
        {work.due.length === 0 ? <p className="muted">{t("home.clerk.noneDue")}</p> : null}
        <ul className="rows" data-testid="due-this-week">
          {work.due.map((o) => (
            <li key={o.id}>
              <Link className="row" to={`/orders/${o.id}`}>
                <span className="title">
                  {crop(o)} · {o.buyer}
                </span>
                <span className="badge warn">{t("home.clerk.remaining", { kg: fmt.format(o.remainingKg) })}</span>
                <span className="meta">
                  {o.deliveryStart} – {o.deliveryEnd} ·{" "}
                  {t("home.clerk.deliveredOf", {
                    delivered: fmt.format(o.deliveredKg),
                    ordered: fmt.format(o.quantityKg),
                  })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="owed-title">
        <h2 id="owed-title">
          {t("home.clerk.owed")}{" "}
          {work.owed.length ? (
            <span className="muted small" data-testid="owed-total">
              {t("home.clerk.owedTotal", { yuan: fenToYuan(work.owedFen) })}
            </span>
          ) : null}
        </h2>
        {work.owed.length === 0 ? <p className="muted">{t("home.clerk.noneOwed")}</p> : null}
        <ul className="rows" data-testid="owed">
          {work.owed.map((o) => (
            <li key={o.id}>
              <Link className="row" to={`/orders/${o.id}`}>
                <span className="title">
                  {o.buyer} · {crop(o)}
                </span>
                <span className="badge warn">{t("unit.yuan", { value: fenToYuan(o.owedFen) })}</span>
                <span className="meta">
                  {t("home.clerk.owedValue", {
                    delivered: fenToYuan(o.deliveredFen),
                    paid: fenToYuan(o.paidFen),
                    owed: fenToYuan(o.owedFen),
                  })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
