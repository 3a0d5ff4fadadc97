import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { OrderParamsSchema, SearchQuerySchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";
import { getLocale } from "~/http/locale.server";
import { OrderStatusBadge } from "~/components/order-status";
import { useLocale, useT, type MessageKey } from "~/i18n";
import {
  allocateOrder,
  allocationCandidates,
  changeAllocation,
  correctDelivery,
  ledgerPageOf,
  orderDeliveries,
  orderIsInScope,
  orderSummary,
  recordDelivery,
  recordPayment,
  reversePayment,
  updateOrderStatus,
  updateOrderTerms,
} from "~/models/orders.server";
import { can } from "~/permissions";
import {
  AllocationChangeSchema,
  AllocationSchema,
  DeliveryCorrectionSchema,
  DeliveryFormSchema,
  OrderStatusSchema,
  OrderTermsSchema,
  PaymentReversalSchema,
  PaymentSchema,
} from "~/schemas/orders";
import { requirePermission, requireUser } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { intentReply, intentReplyFrom } from "~/utils/intent-reply";
import { notFound, readForm, runModel, toResponse } from "~/http/form.server";
import { queryParam } from "~/utils/text";
import { orderAllocationListParams } from "~/utils/lists";
import { fenToYuan } from "~/utils/units";
import listStyles from "~/styles/list.css";
import orderStyles from "~/styles/orders.css";
import { parseForm } from "~/utils/zod-messages";
import { AllocationCard } from "./allocation-card";
import { AllocationsTable } from "./allocations-table";
import { AllocationForm } from "./allocation-form";
import { LedgerPager, LedgerSearch } from "./ledger-search";
import { fmtKg } from "./format";
import { INTENT } from "./intents";
import { StatusForm } from "./status-form";
import { TermsForm } from "./terms-form";
import { cropLabel } from "~/utils/reference";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: listStyles },
  { rel: "stylesheet", href: orderStyles },
];

export const meta = pageMeta();

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const parsed = OrderParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const orderId = parsed.data.orderId;
  const today = todayISO();
  // the allocation picker's search: part of a name or code, or an ID number's last 4 characters
  const q = SearchQuerySchema.parse(queryParam(new URL(request.url), "q") ?? "");
  // the ledger's page and search: `household`, `page`, `size`
  const ledgerParams = orderAllocationListParams.parse(new URL(request.url));
  try {
    const summary = await orderSummary({ scope: user.scope, orderId, today, allocations: ledgerParams });
    const locale = await getLocale(request);
    const allocationIds = summary.households.map((h) => h.allocationId);
    const [deliveries, candidates] = await Promise.all([
      // the deliveries of the page's households only: the others' are on their own pages
      allocationIds.length ? orderDeliveries({ scope: user.scope, orderId, allocationIds }) : Promise.resolve([]),
      summary.can.allocate
        ? allocationCandidates({ scope: user.scope, orderId, q })
        : Promise.resolve({ households: [], more: false }),
    ]);
    const crop = cropLabel(summary.order, locale);
    return {
      ...summary,
      title: { key: "orders.heading", values: { crop, season: summary.order.season } } satisfies PageTitle,
      deliveries,
      candidates,
      q,
      ledgerParams,
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
  const parsed = OrderParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const orderId = parsed.data.orderId;
  if (!(await orderIsInScope({ scope: user.scope, id: orderId }))) notFound();
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const back = (saved: string, hash: string) => redirect(`/orders/${orderId}?saved=${saved}#${hash}`);
  // a row's save comes back to the ledger page the row now sorts onto, the order's other rows around it
  const backToRow = async (saved: string, hash: string, entry: Omit<Parameters<typeof ledgerPageOf>[1], "orderId">) => {
    const page = await ledgerPageOf(user.scope, { orderId, ...entry });
    return redirect(`/orders/${orderId}?saved=${saved}${page > 1 ? `&page=${page}` : ""}#${hash}`);
  };
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
      return backToRow("allocation", "households", { householdId: submission.value.householdId });
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
      return backToRow("delivery", `allocation-${allocationId}`, { allocationId });
    }
    case INTENT.pay: {
      const target = String(formData.get("deliveryId") ?? "");
      const submission = parseForm(formData, { schema: PaymentSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400, target);
      const result = await runModel(submission, () =>
        recordPayment({ scope: user.scope, orderId, input: submission.value }),
      );
      if (!result.ok) return fromModel(result.response, target);
      return backToRow("payment", `delivery-${target}`, { deliveryId: submission.value.deliveryId });
    }
    case INTENT.correct: {
      const target = String(formData.get("deliveryId") ?? "");
      const submission = parseForm(formData, { schema: DeliveryCorrectionSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400, target);
      const result = await runModel(submission, () =>
        correctDelivery({ scope: user.scope, orderId, input: submission.value }),
      );
      if (!result.ok) return fromModel(result.response, target);
      return backToRow("correction", `delivery-${target}`, { deliveryId: submission.value.deliveryId });
    }
    case INTENT.reversePayment: {
      const target = String(formData.get("paymentId") ?? "");
      const submission = parseForm(formData, { schema: PaymentReversalSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400, target);
      const result = await runModel(submission, () =>
        reversePayment({ scope: user.scope, orderId, input: submission.value }),
      );
      if (!result.ok) return fromModel(result.response, target);
      return backToRow("paymentReversal", `payment-${target}`, { paymentId: submission.value.paymentId });
    }
    case INTENT.changeAllocation: {
      const target = String(formData.get("allocationId") ?? "");
      const submission = parseForm(formData, { schema: AllocationChangeSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400, target);
      const result = await runModel(submission, () =>
        changeAllocation({ scope: user.scope, orderId, input: submission.value }),
      );
      if (!result.ok) return fromModel(result.response, target);
      return backToRow("allocationChange", `allocation-${target}`, {
        allocationId: submission.value.allocationId,
      });
    }
    case INTENT.terms: {
      const submission = parseForm(formData, { schema: OrderTermsSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400);
      const result = await runModel(submission, () =>
        updateOrderTerms({ scope: user.scope, orderId, input: submission.value }),
      );
      if (!result.ok) return fromModel(result.response);
      return back("terms", "terms");
    }
    default:
      return reply({ status: "error", error: { "": ["field.choice"] } }, 400);
  }
}

export type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function OrderPage() {
  const { order, title, totals, households, allocationCount, windowDaysLeft, windowClosing, can, linkCooperative } =
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
      : [
            "order",
            "allocation",
            "delivery",
            "payment",
            "correction",
            "paymentReversal",
            "allocationChange",
            "terms",
          ].includes(saved)
        ? t(`orders.saved.${saved}` as MessageKey)
        : null;
  const crop = cropLabel(order, locale);
  return (
    <>
      <PageHeading title={title} back={{ to: "/orders", label: "orders.back" }}>
        <OrderStatusBadge status={order.status} testId="order-status" />
      </PageHeading>
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
      {can.editTerms ? <TermsForm key={order.version} /> : null}
      <StatusForm />

      <h2 id="households">{t("orders.households.title")}</h2>
      {totals.behindCount > 0 ? (
        <p className="notice" data-testid="behind-notice">
          {t("orders.behind.notice", { count: totals.behindCount })}
        </p>
      ) : null}
      {can.allocate ? <AllocationForm key={totals.allocatedKg} /> : null}
      <LedgerSearch />
      {allocationCount === 0 ? <p className="muted">{t("orders.households.none")}</p> : <AllocationsTable />}
      {allocationCount ? <p className="muted small">{t("orders.households.hint")}</p> : null}

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
          <LedgerPager />
        </>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
