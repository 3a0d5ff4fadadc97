// /assignments/households — bulk pairing from a filtered list: the household list's filters (village,
// cadre or "without cadre", name search; GET, in the URL), a checkbox per household, one POST form that
// puts the checked households in a chosen cadre's charge. Each checkbox carries the cadre the official saw,
// so a household someone else assigned meanwhile makes the whole change a conflict, never an overwrite.
import { getCollectionProps, getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { useLocale, useT } from "~/i18n";
import { assignableCadres, assignCadre, assignmentCandidates } from "~/models/assignments.server";
import {
  householdListFilterOptions,
  parseHouseholdListParams,
  reconcileHouseholdListParams,
} from "~/models/household-list.server";
import { requirePermission } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { readForm, runModel } from "~/http/form.server";
import pairingStyles from "~/styles/pairing.css";
import { parseForm } from "~/utils/zod-messages";
import { HOUSEHOLD_PICK, ListAssignFormSchema } from "~/schemas/pairing";
import { numberFormat } from "~/utils/intl";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: pairingStyles }];

const DONE_PARAMS = ["done", "assigned", "unchanged"];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "assignment.write");
  const asked = parseHouseholdListParams(new URL(request.url));
  const options = await householdListFilterOptions(user.scope, { villageId: asked.village });
  const params = reconcileHouseholdListParams(asked, options);
  const [list, cadres] = await Promise.all([
    assignmentCandidates({ scope: user.scope, params, year: currentYear() }),
    assignableCadres(user.scope),
  ]);
  return {
    today: todayISO(),
    params,
    villages: options.villages.map((v) => ({ value: v.value, label: v.label })),
    filterCadres: options.cadres ?? [],
    cadres,
    rows: list.rows.map((r) => ({
      id: r.id,
      code: r.code,
      headName: r.headName,
      village: r.village,
      group: r.group,
      cadreId: r.cadreId,
      cadreName: r.cadreName,
    })),
    total: list.total,
    page: list.page,
    pageCount: list.pageCount,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "assignment.write");
  const submission = parseForm(await readForm(request), { schema: ListAssignFormSchema });
  if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
  const expected: Record<string, string | null> = {};
  for (const pick of submission.value.households) {
    const [, id, cadre] = HOUSEHOLD_PICK.exec(pick)!;
    expected[id.toLowerCase()] = cadre === "none" ? null : cadre.toLowerCase();
  }
  const result = await runModel(submission, () =>
    assignCadre({
      scope: user.scope,
      householdIds: Object.keys(expected),
      expected,
      cadreId: submission.value.cadreId,
      startsOn: submission.value.startsOn,
    }),
  );
  if (!result.ok) return result.response;
  // back to the same list (its filters), which now shows the new cadre; the message says how many
  const url = new URL(request.url);
  const query = new URLSearchParams(url.search);
  for (const k of DONE_PARAMS) query.delete(k);
  query.delete("index");
  query.set("done", "1");
  query.set("assigned", String(result.value.assigned));
  if (result.value.unchanged) query.set("unchanged", String(result.value.unchanged));
  return redirect(`/assignments/households?${query}`);
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function AssignFromList() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const fmt = numberFormat(locale);
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const done = searchParams.get("done") === "1";
  return (
    <>
      <p className="small">
        <Link to="/assignments">← {t("pairing.title")}</Link>
      </p>
      <h1>{t("pairing.list.title")}</h1>
      {done ? (
        <p className="success" role="status">
          {t("pairing.done.list", { n: Number(searchParams.get("assigned") ?? 0) || 0 })}
          {Number(searchParams.get("unchanged") ?? 0)
            ? ` ${t("pairing.done.unchanged", { n: Number(searchParams.get("unchanged")) })}`
            : ""}
        </p>
      ) : null}
      <Filters data={data} />
      <p className="muted list-total" aria-live="polite" data-testid="pairing-total">
        {t("households.total", { total: fmt.format(data.total) })}
      </p>
      {/* a new list (or a saved change) starts with nothing checked */}
      <AssignForm key={location.search} data={data} />
      <Pager page={data.page} pageCount={data.pageCount} />
    </>
  );
}

/** GET: village, cadre ("without cadre" first), name search, page size. Works without JavaScript. */
function Filters({ data }: { data: LoaderData }) {
  const t = useT();
  const location = useLocation();
  const { params } = data;
  return (
    <Form method="get" className="card pairing-filters" role="search" key={location.search}>
      <div className="pairing-filter-grid">
        <div className="field">
          <label htmlFor="pf-village">{t("col.village")}</label>
          <select id="pf-village" name="village" defaultValue={params.village ?? ""}>
            <option value="">{t("pairing.filter.all")}</option>
            {data.villages.map((v) => (
              <option key={v.value} value={v.value}>
                {v.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pf-cadre">{t("col.cadre")}</label>
          <select id="pf-cadre" name="cadre" defaultValue={params.cadre ?? ""}>
            <option value="">{t("pairing.filter.all")}</option>
            <option value="none">{t("pairing.filter.noCadre")}</option>
            {data.filterCadres.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="pf-q">{t("pairing.filter.search")}</label>
          <input id="pf-q" type="search" name="q" defaultValue={params.q ?? ""} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="pf-size">{t("pairing.filter.size")}</label>
          <select id="pf-size" name="size" defaultValue={String(params.size)}>
            {[20, 50, 100].map((n) => (
              <option key={n} value={n}>
                {t("pairing.filter.sizeOption", { n })}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button type="submit" className="button secondary">
        {t("pairing.filter.submit")}
      </button>
    </Form>
  );
}

function AssignForm({ data }: { data: LoaderData }) {
  const t = useT();
  const navigation = useNavigation();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof ListAssignFormSchema>>({
    id: "assign-list",
    lastResult: lastResult as never,
    constraint: FORM_CONSTRAINTS.ListAssignFormSchema,
    shouldValidate: "onSubmit",
    defaultValue: { startsOn: data.today },
  });
  const picks = data.rows.map((r) => `${r.id}:${r.cadreId ?? "none"}`);
  const boxes = getCollectionProps(fields.households, { type: "checkbox", options: picks });
  const busy = navigation.state === "submitting";
  const listRef = useRef<HTMLUListElement>(null);
  const hydrated = useHydrated();

  function selectAll(checked: boolean) {
    listRef.current?.querySelectorAll<HTMLInputElement>('input[type="checkbox"]').forEach((box) => {
      box.checked = checked;
    });
  }

  if (data.rows.length === 0) return <p className="muted">{t("households.empty")}</p>;
  return (
    <Form method="post" className="pairing-pick" {...getFormProps(form)}>
      <ErrorList id={form.errorId} errors={form.errors} />
      {hydrated ? (
        <label className="check select-all">
          <input type="checkbox" onChange={(e) => selectAll(e.currentTarget.checked)} />
          <span>{t("pairing.selectPage")}</span>
        </label>
      ) : null}
      <ErrorList id={fields.households.errorId} errors={fields.households.errors} />
      <ul className="rows pick-rows" ref={listRef} data-testid="pick-list">
        {data.rows.map((r, i) => {
          const { key, ...box } = boxes[i];
          return (
            <li key={key}>
              <label className="pick-row" htmlFor={box.id}>
                <input {...box} />
                <span className="title">{r.headName}</span>
                {r.cadreName ? (
                  <span className="badge">{r.cadreName}</span>
                ) : (
                  <span className="badge warn">{t("household.noCadre")}</span>
                )}
                <span className="meta">
                  {r.village}
                  {r.group ? ` ${r.group}` : ""} · {r.code}
                </span>
              </label>
              <Link
                className="small pick-open"
                to={`/households/${r.id}/assignment`}
                aria-label={t("pairing.historyOf", { head: r.headName })}
              >
                {t("pairing.history")}
              </Link>
            </li>
          );
        })}
      </ul>
      <div className="card assign-bar">
        <Field
          label={<label htmlFor={fields.cadreId.id}>{t("pairing.assignCheckedTo")}</label>}
          errorId={fields.cadreId.errorId}
          errors={fields.cadreId.errors}
        >
          <select {...getSelectProps(fields.cadreId)}>
            <option value="">{t("pairing.chooseCadre")}</option>
            {data.cadres.map((c) => (
              <option key={c.id} value={c.id}>
                {t("pairing.cadreOption", { name: c.name, n: c.households })}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={<label htmlFor={fields.startsOn.id}>{t("pairing.startsOn")}</label>}
          errorId={fields.startsOn.errorId}
          errors={fields.startsOn.errors}
        >
          <input {...getInputProps(fields.startsOn, { type: "date" })} max={data.today} />
        </Field>
        <button className="button" type="submit" disabled={busy}>
          {t("pairing.assignChecked")}
        </button>
      </div>
    </Form>
  );
}

function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

function Pager({ page, pageCount }: { page: number; pageCount: number }) {
  const t = useT();
  const [searchParams] = useSearchParams();
  if (pageCount <= 1) return null;
  const href = (p: number) => {
    const q = new URLSearchParams(searchParams);
    for (const k of DONE_PARAMS) q.delete(k);
    if (p === 1) q.delete("page");
    else q.set("page", String(p));
    return `/assignments/households?${q}`;
  };
  return (
    <nav className="pager" aria-label={t("pairing.pager")}>
      {page > 1 ? <Link to={href(page - 1)}>{t("households.prev")}</Link> : <span />}
      <span className="muted">{t("households.page", { page, pages: pageCount })}</span>
      {page < pageCount ? <Link to={href(page + 1)}>{t("households.next")}</Link> : <span />}
    </nav>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
