import { useLocale, type Translate } from "~/i18n";
import type { cooperativeOverview } from "~/models/overview.server";

export function CooperativeSummary({
  data,
  t,
}: {
  data: Awaited<ReturnType<typeof cooperativeOverview>>;
  t: Translate;
}) {
  const locale = useLocale();
  const fmt = new Intl.NumberFormat(locale);
  return (
    <>
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
