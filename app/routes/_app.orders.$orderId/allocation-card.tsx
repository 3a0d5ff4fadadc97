import { useLoaderData } from "@remix-run/react";
import { useLocale, useT, type MessageKey } from "~/i18n";
import { deliveryPriceDifference } from "~/schemas/plain";
import { fmtWhen } from "~/utils/dates";
import { fenToYuan } from "~/utils/units";
import { DeliveryForm } from "./delivery-form";
import { CorrectionForm, CorrectionRefused } from "./correction-form";
import { fmtKg } from "./format";
import { AllocationChangeForm, AllocationHistory } from "./allocation-change-form";
import { PaymentForm } from "./payment-form";
import { PaymentLedger } from "./payment-ledger";
import type { LoaderData, loader } from "./route";

export function AllocationCard({ allocation: h }: { allocation: LoaderData["households"][number] }) {
  const { deliveries, can, order } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const kg = (v: number) => fmtKg(locale, v);
  const mine = deliveries.filter((d) => d.allocationId === h.allocationId);
  return (
    <li
      id={`allocation-${h.allocationId}`}
      className={h.behind ? "allocation-card behind" : "allocation-card"}
      data-testid="allocation-card"
    >
      <h3>
        {h.headName}
        {h.behind ? <span className="badge warn">{t("orders.behind")}</span> : null}
        {h.allocatedKg === 0 && h.changes.length ? (
          <span className="badge">{t("orders.allocation.withdrawn")}</span>
        ) : null}
      </h3>
      <div className="kg-line">
        <div>
          <b>{kg(h.allocatedKg)}</b>
          <span>{t("orders.col.allocated")}</span>
        </div>
        <div>
          <b>{kg(h.deliveredKg)}</b>
          <span>{t("orders.col.delivered")}</span>
        </div>
        <div>
          <b>{kg(h.remainingKg)}</b>
          <span>{t("orders.col.remaining")}</span>
        </div>
        <div>
          <b>{fenToYuan(h.paidFen)}</b>
          <span>{t("orders.col.paid")}</span>
        </div>
      </div>
      <AllocationHistory allocation={h} />
      {can.changeAllocation ? <AllocationChangeForm key={h.version} allocation={h} /> : null}
      {mine.length ? (
        <ul className="delivery-list">
          {mine.map((d) =>
            d.correctsDeliveryId ? (
              // the counter-entry: its own negative figures, the reason, who wrote it and when
              <li key={d.id} id={`delivery-${d.id}`} className="reversal" data-testid="delivery-reversal">
                <span className="badge">{t("orders.correction.reversal")}</span>{" "}
                {t("orders.correction.reversalLine", { kg: kg(d.quantityKg), amount: fenToYuan(d.amountFen) })}
                <div className="small">
                  {t("orders.correction.reversalOf", {
                    date: d.deliveredOn,
                    reason: d.reason ?? "",
                    who: d.createdByName ?? "—",
                    when: fmtWhen(locale, d.createdAt),
                  })}
                </div>
              </li>
            ) : (
              <li
                key={d.id}
                id={`delivery-${d.id}`}
                className={d.reversedBy ? "reversed" : undefined}
                data-testid="delivery-line"
              >
                {d.reversedBy ? <span className="badge warn">{t("orders.correction.reversed")}</span> : null}{" "}
                <span className="line">
                  {t("orders.delivery.line", {
                    date: d.deliveredOn,
                    kg: kg(d.quantityKg),
                    grade: t(`orders.grade.${d.grade}` as MessageKey),
                    price: fenToYuan(d.unitPriceFen),
                    amount: fenToYuan(d.amountFen),
                    payment: t(`orders.payment.${d.paymentStatus}` as MessageKey),
                  })}
                </span>
                <PriceDifference contractFen={order.unitPriceFen} deliveryFen={d.unitPriceFen} />
                <PaymentLedger payments={d.payments} />
                {can.pay && !d.reversedBy && d.paymentStatus !== "paid" ? (
                  <PaymentForm key={d.paidFen} delivery={d} />
                ) : null}
                {can.correct && !d.reversedBy ? <CorrectionForm delivery={d} headName={h.headName} /> : null}
                {d.reversedBy ? <CorrectionRefused deliveryId={d.id} /> : null}
              </li>
            ),
          )}
        </ul>
      ) : null}
      {/* keyed by what is delivered: after a save the form starts again, closed, with the new remainder */}
      {can.deliver ? <DeliveryForm key={h.deliveredKg} allocation={h} /> : null}
    </li>
  );
}

/** Says when a delivery was paid another price than the contract's, and by how much. */
function PriceDifference({ contractFen, deliveryFen }: { contractFen: number; deliveryFen: number }) {
  const t = useT();
  const diff = deliveryPriceDifference(contractFen, deliveryFen);
  if (!diff) return null;
  return (
    <span className={diff.diffFen < 0 ? "price-diff down" : "price-diff up"} data-testid="price-diff">
      {" · "}
      {t("orders.delivery.priceDiff", {
        contract: fenToYuan(contractFen),
        direction: t(diff.diffFen < 0 ? "orders.delivery.priceDiff.down" : "orders.delivery.priceDiff.up"),
        diff: fenToYuan(Math.abs(diff.diffFen)),
        percent: diff.percent ?? "—",
      })}
    </span>
  );
}
