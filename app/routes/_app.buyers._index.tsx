import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { createColumnHelper, type ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import type { z } from "zod";
import { DataTablePager, FilterForm, SortLinks, useServerTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { metaTranslator, type Translate, useT } from "~/i18n";
import { buyerList, createBuyer } from "~/models/buyers.server";
import { can } from "~/permissions";
import { BuyerSchema } from "~/schemas/orders";
import { requirePermission } from "~/http/auth.server";
import { readForm, runModel } from "~/http/form.server";
import listStyles from "~/styles/list.css";
import orderStyles from "~/styles/orders.css";
import { buyerListParams } from "~/utils/lists";
import { buyerListLinks } from "~/utils/list-urls";
import { GuidSchema } from "~/schemas/route-params";
import { parseForm } from "~/utils/zod-messages";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: listStyles },
  { rel: "stylesheet", href: orderStyles },
];

export const meta: MetaFunction = ({ matches }) => {
  const t = metaTranslator(matches);
  return [{ title: `${t("orders.buyers.title")} · ${t("app.name")}` }];
};

// Buyers (农商企业) are the county's: clerks and officials register them, an administrator reads them.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "buyer.read");
  const url = new URL(request.url);
  // a hand-edited `saved` is no id: it only leaves the list where it was asked
  const saved = GuidSchema.safeParse(url.searchParams.get("saved"));
  const list = await buyerList(user.scope, buyerListParams.parse(url), { showing: saved.success ? saved.data : null });
  return { ...list, can: { create: can(user.scope, "buyer.write") } };
}

type BuyerRow = Awaited<ReturnType<typeof buyerList>>["rows"][number];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "buyer.write");
  const submission = parseForm(await readForm(request), { schema: BuyerSchema });
  if (submission.status !== "success") {
    return Response.json(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  }
  const result = await runModel(submission, () => createBuyer({ scope: user.scope, input: submission.value }));
  if (!result.ok) return result.response;
  return redirect(`/buyers?saved=${result.value.id}#buyer-${result.value.id}`);
}

function buyerColumns(t: Translate): ColumnDef<BuyerRow, never>[] {
  const col = createColumnHelper<BuyerRow>();
  return [col.accessor("name", { id: "name", header: t("orders.buyer.name") })] as ColumnDef<BuyerRow, never>[];
}

export default function Buyers() {
  const data = useLoaderData<typeof loader>();
  const { rows: buyers, total, params, can } = data;
  const [searchParams] = useSearchParams();
  const saved = searchParams.get("saved");
  const t = useT();
  const columns = useMemo(() => buyerColumns(t), [t]);
  // the buyers render as cards; the table wires the sort link and the pager to the URL
  const table = useServerTable<BuyerRow>({
    page: data,
    columns,
    getRowId: (row) => row.id,
    sorting: params,
    href: (changes) => buyerListLinks.search(params, changes),
  });
  const keep = buyerListLinks.query({
    ...buyerListLinks.defaults,
    sort: params.sort,
    dir: params.dir,
    size: params.size,
  });
  return (
    <>
      <h1>{t("orders.buyers.title")}</h1>
      {saved ? (
        <p className="success" role="status">
          {t("orders.buyers.saved")}
        </p>
      ) : null}
      {can.create ? <BuyerForm key={saved ?? ""} /> : <p className="muted small">{t("orders.buyers.readOnly")}</p>}
      <h2>{t("orders.buyers.list", { count: total })}</h2>
      {total > 0 || params.q ? (
        <FilterForm keep={keep} clearHref={params.q ? `?${keep}` : null}>
          <div className="filter">
            <label htmlFor="buyer-search">{t("orders.buyers.search")}</label>
            <input id="buyer-search" name="q" type="search" enterKeyHint="search" defaultValue={params.q ?? ""} />
          </div>
        </FilterForm>
      ) : null}
      {total === 0 ? <p className="muted">{t(params.q ? "orders.buyers.noMatch" : "orders.buyers.none")}</p> : null}
      <SortLinks table={table} />
      <ul className="rows" data-testid="buyers">
        {buyers.map((b) => (
          <li key={b.id} id={`buyer-${b.id}`} className={b.id === saved ? "selected" : undefined}>
            <div className="row static">
              <span className="title">{b.name}</span>
              <span className="meta code-text">{b.creditCode}</span>
              {b.contactName || b.phone ? (
                <span className="meta">{[b.contactName, b.phone].filter(Boolean).join(" · ")}</span>
              ) : null}
              {b.address ? <span className="meta">{b.address}</span> : null}
              {can.create ? (
                <Link className="small" to={`/buyers/${b.id}/edit`}>
                  {t("orders.buyer.edit")}
                </Link>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      <DataTablePager table={table} pageSizes={buyerListLinks.sizes} />
    </>
  );
}

function BuyerForm() {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof BuyerSchema>>({
    id: "new-buyer",
    lastResult,
    constraint: FORM_CONSTRAINTS.BuyerSchema,
  });
  return (
    <details className="card" open={Boolean(lastResult)}>
      <summary>{t("orders.buyers.new")}</summary>
      <Form method="post" className="form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.name.id}>{t("orders.buyer.name")}</label>}
          errorId={fields.name.errorId}
          errors={fields.name.errors}
        >
          <input {...getInputProps(fields.name, { type: "text" })} />
        </Field>
        <Field
          label={<label htmlFor={fields.creditCode.id}>{t("orders.buyer.creditCode")}</label>}
          hint={t("orders.buyer.creditCodeHint")}
          errorId={fields.creditCode.errorId}
          errors={fields.creditCode.errors}
        >
          {/* the pattern is checked by the schema (with its own message), not by the browser */}
          <input
            {...getInputProps(fields.creditCode, { type: "text" })}
            autoCapitalize="characters"
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
        <Field
          label={<label htmlFor={fields.contactName.id}>{t("orders.buyer.contactName")}</label>}
          errorId={fields.contactName.errorId}
          errors={fields.contactName.errors}
        >
          <input {...getInputProps(fields.contactName, { type: "text" })} />
        </Field>
        <Field
          label={<label htmlFor={fields.phone.id}>{t("orders.buyer.phone")}</label>}
          errorId={fields.phone.errorId}
          errors={fields.phone.errors}
        >
          <input {...getInputProps(fields.phone, { type: "tel" })} inputMode="tel" />
        </Field>
        <Field
          label={<label htmlFor={fields.address.id}>{t("orders.buyer.address")}</label>}
          errorId={fields.address.errorId}
          errors={fields.address.errors}
        >
          <input {...getInputProps(fields.address, { type: "text" })} />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.buyers.create")}
        </button>
      </Form>
    </details>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
