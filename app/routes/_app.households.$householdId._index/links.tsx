import { Link } from "@remix-run/react";
import { useLocale, type Translate } from "~/i18n";
import { fenToYuan } from "~/utils/units";
import type { LoaderData } from "./route";
import { cropLabel } from "~/utils/reference";

type LinksView = LoaderData["links"];

export function Links({ links, t }: { links: LinksView; t: Translate }) {
  const locale = useLocale();
  return (
    <>
      <h2>{t("record.cooperatives")}</h2>
      {links.memberships.length === 0 ? <p className="muted">{t("record.noCooperatives")}</p> : null}
      <ul className="timeline">
        {links.memberships.map((m) => (
          <li key={m.id}>
            <span className={m.leftOn ? "badge" : "badge ok"}>
              {t(m.leftOn ? "record.membership.past" : "record.membership.current")}
            </span>{" "}
            {m.cooperative} · {t("record.joinedOn", { date: m.joinedOn })}
            {m.leftOn ? ` · ${t("record.leftOn", { date: m.leftOn })}` : ""}
          </li>
        ))}
      </ul>

      <h2>{t("record.orders")}</h2>
      {links.orders.length === 0 ? (
        <p className="muted">{t("record.noOrders")}</p>
      ) : (
        <div className="table-wrap cards">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("col.crop")}</th>
                <th scope="col">{t("col.buyer")}</th>
                <th scope="col" className="num">
                  {t("record.allocatedKg")}
                </th>
                <th scope="col" className="num">
                  {t("record.deliveredKg")}
                </th>
                <th scope="col" className="num">
                  {t("col.unitPrice")}
                </th>
                <th scope="col" className="num">
                  {t("record.paidYuan")}
                </th>
                <th scope="col">{t("col.orderStatus")}</th>
              </tr>
            </thead>
            <tbody>
              {links.orders.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link to={`/orders/${o.orderId}`}>
                      {cropLabel(o, locale)} · {o.season}
                    </Link>
                  </td>
                  <td data-label={t("col.buyer")}>{o.buyer}</td>
                  <td className="num" data-label={t("record.allocatedKg")}>
                    {o.quantityKg}
                  </td>
                  <td className="num" data-label={t("record.deliveredKg")}>
                    {o.deliveredKg}
                  </td>
                  <td className="num" data-label={t("col.unitPrice")}>
                    {fenToYuan(o.unitPriceFen)}
                  </td>
                  <td className="num" data-label={t("record.paidYuan")}>
                    {fenToYuan(o.paidFen)}
                  </td>
                  <td data-label={t("col.orderStatus")}>{t(`orders.status.${o.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t("record.funds", { total: fenToYuan(links.fundTotalFen) })}</h2>
      {links.funds.length === 0 ? (
        <p className="muted">{t("record.noFunds")}</p>
      ) : (
        <ul className="timeline">
          {links.funds.map((f) => (
            <li key={f.id}>
              {f.allocatedOn} · <Link to={`/projects/${f.projectId}`}>{f.project}</Link> ·{" "}
              <b>{t("unit.yuan", { value: fenToYuan(f.amountFen) })}</b>
              {f.kind === "in_kind" && f.item ? ` · ${f.item}${f.quantity ? ` × ${f.quantity}` : ""}` : ""}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
