import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { OrderStatusBadge } from "~/components/order-status";
import { DEFAULT_LOCALE, isLocale, translator, useLocale, useT, type Locale, type MessageKey } from "~/i18n";
import {
  allocateOrder,
  allocationCandidates,
  orderDeliveries,
  orderIsInScope,
  orderSummary,
  recordDelivery,
  recordPayment,
  updateOrderStatus,
} from "~/models/orders.server";
import { can } from "~/permissions";
import {
  AllocationSchema,
  DELIVERY_DAYS_AFTER_WINDOW,
  DELIVERY_DAYS_BEFORE_WINDOW,
  DELIVERY_PRICE_TOLERANCE_PERCENT,
  DeliverySchema,
  OrderStatusSchema,
  PaymentSchema,
  deliveryPriceDifference,
} from "~/schemas/orders";
import { requirePermission, requireUser } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { intentReply, intentReplyFrom, useIntentResult } from "~/utils/intent-reply";
import { notFound, readForm, runModel, toResponse } from "~/http/form.server";
import { fenToYuan } from "~/utils/units";
import listStyles from "~/styles/list.css";
import orderStyles from "~/styles/orders.css";
import { parseForm } from "~/utils/zod-messages";
import { DELIVERY_GRADES, PAYMENT_STATUSES } from "~/vocabulary";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: listStyles },
  { rel: "stylesheet", href: orderStyles },
];

const ParamsSchema = z.object({ orderId: z.uuid() });
const INTENT = { status: "status", allocate: "allocate", deliver: "deliver", pay: "pay" } as const;
const DeliveryFormSchema = z.intersection(
  z.object({ allocationId: z.string({ error: "field.required" }).uuid("field.choice") }),
  DeliverySchema,
);

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale;
  const t = translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
  return [{ title: `${t("orders.metaTitle")} · ${t("app.name")}` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const orderId = parsed.data.orderId;
  const today = todayISO();
  try {
    const summary = await orderSummary({ scope: user.scope, orderId, today });
    const [deliveries, candidates] = await Promise.all([
      orderDeliveries({ scope: user.scope, orderId }),
      summary.can.allocate
        ? allocationCandidates({ scope: user.scope, orderId })
        : Promise.resolve([] as Awaited<ReturnType<typeof allocationCandidates>>),
    ]);
    return {
      ...summary,
      deliveries,
      candidates,
      // a cadre reads the orders reaching their households, not the cooperative
      linkCooperative: can(user.scope, "cooperative.read"),
      today,
    };
  } catch (error) {
    throw toResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "order.write");
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const orderId = parsed.data.orderId;
  if (!(await orderIsInScope({ scope: user.scope, id: orderId }))) notFound();
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const back = (saved: string, hash: string) => redirect(`/orders/${orderId}?saved=${saved}#${hash}`);
  const reply = (result: SubmissionResult<string[]>, status: number, target?: string) =>
    intentReply(intent, result, status, target);
  const fromModel = (response: Response, target?: string) => intentReplyFrom(response, intent, target);

  switch (intent) {
    case INTENT.status: {
      const submission = parseForm(formData, { schema: OrderStatusSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400);
      const result = await runModel(submission, () =>
        updateOrderStatus({ scope: user.scope, orderId, ...submission.value, today: todayISO() }),
      );
      if (!result.ok) return fromModel(result.response);
      return back(`status-${result.value.status}`, "status");
    }
    case INTENT.allocate: {
      const submission = parseForm(formData, { schema: AllocationSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400);
      const result = await runModel(submission, () =>
        allocateOrder({ scope: user.scope, orderId, ...submission.value }),
      );
      if (!result.ok) return fromModel(result.response);
      return back("allocation", "households");
    }
    case INTENT.deliver: {
      const target = String(formData.get("allocationId") ?? "");
      const submission = parseForm(formData, { schema: DeliveryFormSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400, target);
      const { allocationId, ...input } = submission.value;
      const result = await runModel(submission, () =>
        recordDelivery({ scope: user.scope, allocationId, orderId, input }),
      );
      if (!result.ok) return fromModel(result.response, target);
      return back("delivery", `allocation-${allocationId}`);
    }
    case INTENT.pay: {
      const target = String(formData.get("deliveryId") ?? "");
      const submission = parseForm(formData, { schema: PaymentSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400, target);
      const result = await runModel(submission, () =>
        recordPayment({ scope: user.scope, orderId, input: submission.value }),
      );
      if (!result.ok) return fromModel(result.response, target);
      return back("payment", `delivery-${target}`);
    }
    default:
      return reply({ status: "error", error: { "": ["field.choice"] } }, 400);
  }
}

const fmtKg = (locale: Locale, v: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(v);

export default function OrderPage() {
  const { order, totals, tableTotals, households, windowDaysLeft, windowClosing, can, linkCooperative } =
    useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  const kg = (v: number) => fmtKg(locale, v);
  const saved = searchParams.get("saved");
  const savedText = !saved
    ? null
    : saved.startsWith("status-")
      ? t("orders.saved.status", { status: t(`orders.status.${saved.slice(7)}` as MessageKey) })
      : ["order", "allocation", "delivery", "payment"].includes(saved)
        ? t(`orders.saved.${saved}` as MessageKey)
        : null;
  const crop = locale === "en" ? order.cropEn : order.cropZh;
  return (
    <>
      <p className="small">
        <Link to="/orders">{t("orders.back")}</Link>
      </p>
      <div className="section-head">
        <h1>{t("orders.heading", { crop, season: order.season })}</h1>
        <OrderStatusBadge status={order.status} testId="order-status" />
      </div>
      {savedText ? (
        <p className="success" role="status">
          {savedText}
        </p>
      ) : null}
      <ul className="stats" data-testid="order-totals">
        <li className="stat">
          <b>{kg(totals.quantityKg)}</b>
          <span>{t("orders.stat.quantity")}</span>
        </li>
        <li className="stat">
          <b data-testid="total-allocated">{kg(totals.allocatedKg)}</b>
          <span>{t("orders.stat.allocated", { left: kg(totals.unallocatedKg) })}</span>
        </li>
        <li className="stat">
          <b data-testid="total-delivered">{kg(totals.deliveredKg)}</b>
          <span>{t("orders.stat.delivered", { left: kg(totals.remainingKg) })}</span>
        </li>
        <li className={totals.unpaidFen > 0 ? "stat warn" : "stat"}>
          <b data-testid="total-paid">{fenToYuan(totals.paidFen)}</b>
          <span>{t("orders.stat.paid", { amount: fenToYuan(totals.amountFen) })}</span>
        </li>
      </ul>
      <div className="card">
        <dl className="facts">
          <dt>{t("orders.field.cooperative")}</dt>
          <dd>
            {linkCooperative ? (
              <Link to={`/cooperatives/${order.cooperativeId}`}>{order.cooperativeName}</Link>
            ) : (
              order.cooperativeName
            )}
          </dd>
          <dt>{t("orders.field.buyer")}</dt>
          <dd>{order.buyerName}</dd>
          <dt>{t("orders.field.crop")}</dt>
          <dd>{crop}</dd>
          <dt>{t("orders.field.priceShort")}</dt>
          <dd>{t("orders.pricePerKg", { price: fenToYuan(order.unitPriceFen) })}</dd>
          <dt>{t("orders.field.season")}</dt>
          <dd>{order.season}</dd>
          <dt>{t("orders.field.window")}</dt>
          <dd>
            {order.deliveryStart} – {order.deliveryEnd}
            <div
              className={
                windowClosing && order.status !== "fulfilled" && order.status !== "cancelled"
                  ? "small badge warn"
                  : "muted small"
              }
            >
              {windowDaysLeft >= 0
                ? t("orders.window.left", { days: windowDaysLeft })
                : t("orders.window.passed", { days: -windowDaysLeft })}
            </div>
          </dd>
          <dt>{t("orders.field.signedOn")}</dt>
          <dd>{order.signedOn ?? "—"}</dd>
        </dl>
      </div>
      {!can.write ? <p className="muted small">{t("orders.readOnly")}</p> : null}
      <StatusForm />

      <h2 id="households">{t("orders.households.title")}</h2>
      {totals.behindCount > 0 ? (
        <p className="notice" data-testid="behind-notice">
          {t("orders.behind.notice", { count: totals.behindCount })}
        </p>
      ) : null}
      {can.allocate ? <AllocationForm key={totals.allocatedKg} /> : null}
      {households.length === 0 ? (
        <p className="muted">{t("orders.households.none")}</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="allocations">
            <caption className="visually-hidden">{t("orders.households.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("orders.col.household")}</th>
                <th scope="col" className="num">
                  {t("orders.col.allocated")}
                </th>
                <th scope="col" className="num">
                  {t("orders.col.delivered")}
                </th>
                <th scope="col" className="num">
                  {t("orders.col.remaining")}
                </th>
                <th scope="col" className="num">
                  {t("orders.col.amount")}
                </th>
                <th scope="col" className="num">
                  {t("orders.col.paid")}
                </th>
                <th scope="col">{t("orders.col.flag")}</th>
              </tr>
            </thead>
            <tbody>
              {households.map((h) => (
                <tr key={h.allocationId} className={h.behind ? "behind" : undefined}>
                  <th scope="row">
                    {h.householdId ? <Link to={`/households/${h.householdId}`}>{h.headName}</Link> : h.headName}
                  </th>
                  <td className="num">{kg(h.allocatedKg)}</td>
                  <td className="num">{kg(h.deliveredKg)}</td>
                  <td className="num">{kg(h.remainingKg)}</td>
                  <td className="num">{fenToYuan(h.amountFen)}</td>
                  <td className="num">{fenToYuan(h.paidFen)}</td>
                  <td>
                    {h.behind ? (
                      <span className="badge warn">{t("orders.behind")}</span>
                    ) : h.remainingKg === 0 ? (
                      <span className="badge ok">{t("orders.done")}</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="totals">
                <th scope="row">{t("orders.totalsRow")}</th>
                <td className="num">{kg(tableTotals.allocatedKg)}</td>
                <td className="num">{kg(tableTotals.deliveredKg)}</td>
                <td className="num">{kg(tableTotals.remainingKg)}</td>
                <td className="num">{fenToYuan(tableTotals.amountFen)}</td>
                <td className="num">{fenToYuan(tableTotals.paidFen)}</td>
                <td>{tableTotals.behindCount ? t("orders.behindCount", { count: tableTotals.behindCount }) : ""}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      {households.length ? <p className="muted small">{t("orders.households.hint")}</p> : null}

      {households.length ? (
        <>
          <h2 id="deliveries">{t("orders.deliveries.title")}</h2>
          {!can.deliver && can.write && order.status === "draft" ? (
            <p className="notice">{t("orders.deliveries.signFirst")}</p>
          ) : null}
          <ul className="allocation-cards">
            {households.map((h) => (
              <AllocationCard key={h.allocationId} allocation={h} />
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** "orders.error.transition|{from, to}" carries status codes; the message shows their names. */
function useStatusNames() {
  const t = useT();
  return (raw: string) => {
    const [key, json] = raw.split("|");
    if (key !== "orders.error.transition" || !json) return raw;
    try {
      const { from, to } = JSON.parse(json) as { from: string; to: string };
      return t("orders.error.transition", {
        from: t(`orders.status.${from}` as MessageKey),
        to: t(`orders.status.${to}` as MessageKey),
      });
    } catch {
      return raw;
    }
  };
}

function StatusForm() {
  const withStatusNames = useStatusNames();
  const { order, can } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.status);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm({ id: "status", lastResult });
  if (can.transitions.length === 0 && !lastResult) return null;
  return (
    <section id="status" aria-label={t("orders.status.change")}>
      <Form method="post" action={`/orders/${order.id}`} {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.status} />
        <input type="hidden" name="version" value={order.version} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <ErrorList errors={fields.status.errors?.map(withStatusNames)} />
        <div className="transitions">
          {can.transitions.map((to) => (
            <button
              key={to}
              type="submit"
              name="status"
              value={to}
              className={to === "cancelled" || to === "draft" ? "button secondary" : "button"}
              disabled={navigation.state === "submitting"}
            >
              {t(`orders.to.${to}` as MessageKey)}
            </button>
          ))}
        </div>
      </Form>
    </section>
  );
}

function AllocationForm() {
  const { order, candidates, totals } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.allocate);
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useForm({
    id: "allocate",
    lastResult,
    constraint: getZodConstraint(AllocationSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, { schema: AllocationSchema }),
  });
  return (
    <details className="card" open={Boolean(lastResult) || totals.unallocatedKg > 0}>
      <summary>{t("orders.allocate.title")}</summary>
      <Form method="post" action={`/orders/${order.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.allocate} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.householdId.id}>{t("orders.allocate.household")}</label>}
          hint={candidates.length === 0 ? t("orders.allocate.noCandidates") : t("orders.allocate.membersOnly")}
          errorId={fields.householdId.errorId}
          errors={fields.householdId.errors}
        >
          <select {...getSelectProps(fields.householdId)}>
            <option value="">{t("orders.choose")}</option>
            {candidates.map((h) => (
              <option key={h.id} value={h.id}>
                {h.headName} · {h.village}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={<label htmlFor={fields.quantityKg.id}>{t("orders.allocate.quantity")}</label>}
          hint={t("orders.allocate.left", { kg: fmtKg(locale, totals.unallocatedKg) })}
          errorId={fields.quantityKg.errorId}
          errors={fields.quantityKg.errors}
        >
          <input {...getInputProps(fields.quantityKg, { type: "number" })} step="0.01" inputMode="decimal" />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.allocate.submit")}
        </button>
      </Form>
    </details>
  );
}

function AllocationCard({ allocation: h }: { allocation: LoaderData["households"][number] }) {
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
      {mine.length ? (
        <ul className="delivery-list">
          {mine.map((d) => (
            <li key={d.id} id={`delivery-${d.id}`}>
              {t("orders.delivery.line", {
                date: d.deliveredOn,
                kg: kg(d.quantityKg),
                grade: t(`orders.grade.${d.grade}` as MessageKey),
                price: fenToYuan(d.unitPriceFen),
                amount: fenToYuan(d.amountFen),
                payment: t(`orders.payment.${d.paymentStatus}` as MessageKey),
              })}
              <PriceDifference contractFen={order.unitPriceFen} deliveryFen={d.unitPriceFen} />
              {can.pay && d.paymentStatus !== "paid" ? <PaymentForm key={d.paidFen} delivery={d} /> : null}
            </li>
          ))}
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

function PaymentForm({ delivery: d }: { delivery: LoaderData["deliveries"][number] }) {
  const { order, today } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.pay, d.id);
  const navigation = useNavigation();
  const t = useT();
  const outstanding = fenToYuan(d.amountFen - d.paidFen);
  const [form, fields] = useForm({
    id: `pay-${d.id}`,
    lastResult,
    constraint: getZodConstraint(PaymentSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, { schema: PaymentSchema }),
    defaultValue: { deliveryId: d.id, amountFen: outstanding, paidOn: today },
  });
  return (
    <details className="inline row-form payment-form" open={Boolean(lastResult)}>
      <summary>
        {t("orders.payment.record")} · {t("orders.payment.outstanding", { amount: outstanding })}
      </summary>
      <Form method="post" action={`/orders/${order.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.pay} />
        <input type="hidden" name="deliveryId" value={d.id} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <div className="form-grid-2">
          <Field
            label={<label htmlFor={fields.amountFen.id}>{t("orders.payment.amount")}</label>}
            errorId={fields.amountFen.errorId}
            errors={fields.amountFen.errors}
          >
            <input {...getInputProps(fields.amountFen, { type: "number" })} step="0.01" inputMode="decimal" />
          </Field>
          <Field
            label={<label htmlFor={fields.paidOn.id}>{t("orders.payment.date")}</label>}
            errorId={fields.paidOn.errorId}
            errors={fields.paidOn.errors}
          >
            <input {...getInputProps(fields.paidOn, { type: "date" })} />
          </Field>
        </div>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.payment.submit")}
        </button>
      </Form>
    </details>
  );
}

function DeliveryForm({ allocation: h }: { allocation: LoaderData["households"][number] }) {
  const { order, today } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.deliver, h.allocationId);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm({
    id: `deliver-${h.allocationId}`,
    lastResult,
    constraint: getZodConstraint(DeliveryFormSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, { schema: DeliveryFormSchema }),
    defaultValue: {
      allocationId: h.allocationId,
      deliveredOn: today,
      quantityKg: h.remainingKg > 0 ? String(h.remainingKg) : "",
      grade: "first",
      unitPriceFen: (order.unitPriceFen / 100).toFixed(2),
      paidFen: "0",
      paymentStatus: "unpaid",
    },
  });
  return (
    <details className="inline row-form delivery-form" open={Boolean(lastResult)}>
      <summary>{t("orders.delivery.record", { name: h.headName })}</summary>
      <Form method="post" action={`/orders/${order.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.deliver} />
        <input type="hidden" name="allocationId" value={h.allocationId} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <div className="form-grid-2">
          <Field
            label={<label htmlFor={fields.deliveredOn.id}>{t("orders.delivery.date")}</label>}
            errorId={fields.deliveredOn.errorId}
            errors={fields.deliveredOn.errors}
          >
            <input {...getInputProps(fields.deliveredOn, { type: "date" })} />
          </Field>
          <Field
            label={<label htmlFor={fields.quantityKg.id}>{t("orders.delivery.kg")}</label>}
            errorId={fields.quantityKg.errorId}
            errors={fields.quantityKg.errors}
          >
            <input {...getInputProps(fields.quantityKg, { type: "number" })} step="0.01" inputMode="decimal" />
          </Field>
          <Field
            label={<label htmlFor={fields.grade.id}>{t("orders.delivery.grade")}</label>}
            errorId={fields.grade.errorId}
            errors={fields.grade.errors}
          >
            <select {...getSelectProps(fields.grade)}>
              {DELIVERY_GRADES.map((g) => (
                <option key={g} value={g}>
                  {t(`orders.grade.${g}` as MessageKey)}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label={<label htmlFor={fields.unitPriceFen.id}>{t("orders.delivery.price")}</label>}
            hint={t("orders.delivery.tolerance", {
              percent: DELIVERY_PRICE_TOLERANCE_PERCENT,
              before: DELIVERY_DAYS_BEFORE_WINDOW,
              after: DELIVERY_DAYS_AFTER_WINDOW,
            })}
            errorId={fields.unitPriceFen.errorId}
            errors={fields.unitPriceFen.errors}
          >
            <input {...getInputProps(fields.unitPriceFen, { type: "number" })} step="0.01" inputMode="decimal" />
          </Field>
          <Field
            label={<label htmlFor={fields.paidFen.id}>{t("orders.delivery.paid")}</label>}
            errorId={fields.paidFen.errorId}
            errors={fields.paidFen.errors}
          >
            <input {...getInputProps(fields.paidFen, { type: "number" })} step="0.01" inputMode="decimal" />
          </Field>
          <Field
            label={<label htmlFor={fields.paymentStatus.id}>{t("orders.delivery.paymentStatus")}</label>}
            errorId={fields.paymentStatus.errorId}
            errors={fields.paymentStatus.errors}
          >
            <select {...getSelectProps(fields.paymentStatus)}>
              {PAYMENT_STATUSES.map((p) => (
                <option key={p} value={p}>
                  {t(`orders.payment.${p}` as MessageKey)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.delivery.submit")}
        </button>
      </Form>
    </details>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
