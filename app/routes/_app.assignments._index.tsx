// /assignments — pairing (结对帮扶) for a township official: each cadre's workload (households in charge,
// overdue checks, over the limit), the households without a cadre, and two bulk forms: assign a cadre to a
// village's households, and hand all of one cadre's households over to another.
import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { useLocale, useT, type Translate } from "~/i18n";
import {
  assignableCadres,
  assignVillage,
  cadreWorkload,
  transferHouseholds,
  type WorkloadRow,
} from "~/models/assignments.server";
import { villagesForRegistration } from "~/models/regions.server";
import { requirePermission } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { readForm, runModel } from "~/http/form.server";
import pairingStyles from "~/styles/pairing.css";
import { parseForm } from "~/utils/zod-messages";
import { TransferFormSchema, VillageAssignFormSchema } from "~/schemas/pairing";
import { numberFormat } from "~/utils/intl";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: pairingStyles }];

const SORTS = ["name", "households", "overdue"] as const;
type Sort = (typeof SORTS)[number];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "assignment.write");
  const today = todayISO();
  const [workload, cadres, villages] = await Promise.all([
    cadreWorkload({ scope: user.scope, today }),
    assignableCadres(user.scope),
    villagesForRegistration(user.scope),
  ]);
  return {
    today,
    workload,
    cadres,
    villages: villages.map((v) => ({ id: v.id, name: v.name })),
  };
}

type Intent = "village" | "transfer";
type ActionData = { intent: Intent; result: SubmissionResult<string[]> };

const reply = (intent: Intent, result: SubmissionResult<string[]>, status: number) =>
  Response.json({ intent, result } satisfies ActionData, { status });

/** runModel answers with the form's reply; each form on this page reads only its own. */
async function replyFrom(intent: Intent, response: Response) {
  return reply(intent, await response.json(), response.status);
}

function done(kind: Intent, r: { assigned: number; unchanged: number; skipped: number }) {
  const q = new URLSearchParams({ done: kind, assigned: String(r.assigned) });
  if (r.unchanged) q.set("unchanged", String(r.unchanged));
  if (r.skipped) q.set("skipped", String(r.skipped));
  return redirect(`/assignments?${q}`);
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "assignment.write");
  const formData = await readForm(request);
  switch (formData.get("intent")) {
    case "village": {
      const submission = parseForm(formData, { schema: VillageAssignFormSchema });
      if (submission.status !== "success") return reply("village", submission.reply(), 400);
      const { villageId, cadreId, which, startsOn } = submission.value;
      const result = await runModel(submission, () =>
        assignVillage({ scope: user.scope, villageId, cadreId, startsOn, onlyUnassigned: which === "unassigned" }),
      );
      if (!result.ok) return replyFrom("village", result.response);
      return done("village", result.value);
    }
    case "transfer": {
      const submission = parseForm(formData, { schema: TransferFormSchema });
      if (submission.status !== "success") return reply("transfer", submission.reply(), 400);
      const { fromCadreId, toCadreId, startsOn, reason } = submission.value;
      const result = await runModel(submission, () =>
        transferHouseholds({ scope: user.scope, fromCadreId, toCadreId, startsOn, reason }),
      );
      if (!result.ok) return replyFrom("transfer", result.response);
      return done("transfer", result.value);
    }
    default:
      return Response.json({ status: "error", error: { "": ["common.badRequest"] } }, { status: 400 });
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function sortRows(rows: WorkloadRow[], sort: Sort) {
  if (sort === "name") return rows;
  return [...rows].sort((a, b) => b[sort] - a[sort] || b.households - a.households);
}

export default function Assignments() {
  const { workload, cadres, villages, today } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  const fmt = numberFormat(locale);
  const sort = (SORTS as readonly string[]).includes(searchParams.get("sort") ?? "")
    ? (searchParams.get("sort") as Sort)
    : "name";
  const rows = sortRows(workload.cadres, sort);
  const activeCadres = workload.cadres.filter((c) => c.active).length;

  return (
    <>
      <div className="list-head">
        <h1>{t("pairing.title")}</h1>
        <Link className="button" to="/assignments/households?cadre=none">
          {t("pairing.assignFromList")}
        </Link>
      </div>
      <DoneMessage t={t} />

      <ul className="stats" data-testid="pairing-stats">
        <li className="stat">
          <b>{fmt.format(activeCadres)}</b>
          <span>{t("stat.cadres")}</span>
        </li>
        <li className={workload.noCadre ? "stat warn" : "stat"}>
          <b>
            <Link to="/assignments/households?cadre=none" data-testid="no-cadre-count">
              {fmt.format(workload.noCadre)}
            </Link>
          </b>
          <span>{t("pairing.stat.noCadre")}</span>
        </li>
        <li className={workload.overLimit ? "stat warn" : "stat"}>
          <b>{fmt.format(workload.overLimit)}</b>
          <span>{t("pairing.stat.overLimit", { max: workload.maxHouseholds })}</span>
        </li>
        <li className="stat">
          <b>{fmt.format(workload.households)}</b>
          <span>{t("stat.households")}</span>
        </li>
      </ul>

      <h2 id="workload-title">{t("pairing.workload")}</h2>
      <p className="muted small">{t("pairing.workload.hint", { max: workload.maxHouseholds })}</p>
      <div className="table-wrap">
        <table className="workload" aria-labelledby="workload-title" data-testid="workload">
          <thead>
            <tr>
              <SortTh sort={sort} value="name" label={t("col.cadre")} />
              <SortTh sort={sort} value="households" label={t("pairing.col.households")} num />
              <SortTh sort={sort} value="overdue" label={t("pairing.col.overdue")} num />
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={3} className="muted">
                  {t("pairing.noCadres")}
                </td>
              </tr>
            ) : null}
            {rows.map((c) => (
              <tr key={c.id} className={c.overLimit ? "over-limit" : undefined}>
                <th scope="row">
                  <Link to={`/households?cadre=${c.id}`}>{c.name}</Link>
                  {c.active ? null : <span className="badge bad">{t("pairing.inactive")}</span>}
                  {c.phone ? (
                    <a className="cadre-phone" href={`tel:${c.phone}`}>
                      {c.phone}
                    </a>
                  ) : null}
                </th>
                <td className="num">
                  <Link
                    to={`/households?cadre=${c.id}`}
                    aria-label={t("pairing.householdsOf", { name: c.name, n: c.households })}
                  >
                    {fmt.format(c.households)}
                  </Link>
                  {c.overLimit ? (
                    <span
                      className="badge warn over-limit-badge"
                      title={t("pairing.overLimit.title", { max: workload.maxHouseholds })}
                    >
                      {t("pairing.overLimit")}
                    </span>
                  ) : null}
                </td>
                <td className="num">
                  {c.overdue ? (
                    <Link
                      className="overdue-count"
                      to={`/checks/overdue?cadre=${c.id}#list`}
                      aria-label={t("pairing.overdueOf", { name: c.name, n: c.overdue })}
                    >
                      {fmt.format(c.overdue)}
                    </Link>
                  ) : (
                    <span className="muted">0</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <VillageForm villages={villages} cadres={cadres} today={today} />
      <TransferForm workload={workload.cadres} cadres={cadres} today={today} />
    </>
  );
}

function SortTh({ sort, value, label, num }: { sort: Sort; value: Sort; label: string; num?: boolean }) {
  const t = useT();
  const [searchParams] = useSearchParams();
  const next = new URLSearchParams(searchParams);
  for (const k of ["done", "assigned", "unchanged", "skipped"]) next.delete(k);
  if (value === "name") next.delete("sort");
  else next.set("sort", value);
  const q = next.toString();
  return (
    <th
      scope="col"
      className={num ? "num" : undefined}
      aria-sort={sort === value ? (value === "name" ? "ascending" : "descending") : undefined}
    >
      <Link
        className="sort-link"
        to={`/assignments${q ? `?${q}` : ""}`}
        preventScrollReset
        title={t("pairing.sortBy", { column: label })}
      >
        {label}
        <span className={sort === value ? "sort-mark sorted" : "sort-mark"} aria-hidden="true">
          {sort === value ? (value === "name" ? "▲" : "▼") : "↕"}
        </span>
      </Link>
    </th>
  );
}

function DoneMessage({ t }: { t: Translate }) {
  const [searchParams] = useSearchParams();
  const kind = searchParams.get("done");
  if (kind !== "village" && kind !== "transfer") return null;
  const n = (k: string) => Number(searchParams.get(k) ?? 0) || 0;
  return (
    <p className="success" role="status">
      {t(kind === "village" ? "pairing.done.village" : "pairing.done.transfer", { n: n("assigned") })}
      {n("unchanged") ? ` ${t("pairing.done.unchanged", { n: n("unchanged") })}` : ""}
      {n("skipped") ? ` ${t("pairing.done.skipped", { n: n("skipped") })}` : ""}
    </p>
  );
}

function useLastResult(intent: Intent) {
  const data = useActionData() as ActionData | undefined;
  return data?.intent === intent ? data.result : undefined;
}

function CadreOptions({ cadres, t }: { cadres: LoaderData["cadres"]; t: Translate }) {
  return (
    <>
      {cadres.map((c) => (
        <option key={c.id} value={c.id}>
          {t("pairing.cadreOption", { name: c.name, n: c.households })}
        </option>
      ))}
    </>
  );
}

function VillageForm({ villages, cadres, today }: Pick<LoaderData, "villages" | "cadres" | "today">) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof VillageAssignFormSchema>>({
    id: "assign-village",
    lastResult: useLastResult("village"),
    constraint: FORM_CONSTRAINTS.VillageAssignFormSchema,
    defaultValue: { which: "unassigned", startsOn: today },
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "village";
  return (
    <section aria-labelledby="village-title">
      <h2 id="village-title">{t("pairing.village.title")}</h2>
      <Form method="post" className="form card" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="village" />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.villageId.id}>{t("col.village")}</label>}
          errorId={fields.villageId.errorId}
          errors={fields.villageId.errors}
        >
          <select {...getSelectProps(fields.villageId)}>
            <option value="">{t("pairing.chooseVillage")}</option>
            {villages.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={<label htmlFor={fields.cadreId.id}>{t("pairing.assignTo")}</label>}
          errorId={fields.cadreId.errorId}
          errors={fields.cadreId.errors}
        >
          <select {...getSelectProps(fields.cadreId)}>
            <option value="">{t("pairing.chooseCadre")}</option>
            <CadreOptions cadres={cadres} t={t} />
          </select>
        </Field>
        <fieldset className="choice" aria-describedby={fields.which.errors ? fields.which.errorId : undefined}>
          <legend>{t("pairing.village.which")}</legend>
          {(["unassigned", "all"] as const).map((value) => (
            <label key={value} className="check">
              {/* one id per option: the label of the village select must not also name these */}
              <input {...getInputProps(fields.which, { type: "radio", value })} id={`${fields.which.id}-${value}`} />
              <span>{t(`pairing.village.${value}`)}</span>
            </label>
          ))}
          <ErrorList id={fields.which.errorId} errors={fields.which.errors} />
        </fieldset>
        <Field
          label={<label htmlFor={fields.startsOn.id}>{t("pairing.startsOn")}</label>}
          errorId={fields.startsOn.errorId}
          errors={fields.startsOn.errors}
        >
          <input {...getInputProps(fields.startsOn, { type: "date" })} max={today} />
        </Field>
        <button className="button" type="submit" disabled={busy}>
          {t("pairing.village.submit")}
        </button>
      </Form>
    </section>
  );
}

function TransferForm({
  workload,
  cadres,
  today,
}: {
  workload: LoaderData["workload"]["cadres"];
  cadres: LoaderData["cadres"];
  today: string;
}) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof TransferFormSchema>>({
    id: "transfer",
    lastResult: useLastResult("transfer"),
    constraint: FORM_CONSTRAINTS.TransferFormSchema,
    defaultValue: { startsOn: today },
  });
  const holders = workload.filter((c) => c.households > 0);
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "transfer";
  return (
    <section aria-labelledby="transfer-title">
      <h2 id="transfer-title">{t("pairing.transfer.title")}</h2>
      <p className="muted small">{t("pairing.transfer.hint")}</p>
      <Form method="post" className="form card" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="transfer" />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.fromCadreId.id}>{t("pairing.transfer.from")}</label>}
          errorId={fields.fromCadreId.errorId}
          errors={fields.fromCadreId.errors}
        >
          <select {...getSelectProps(fields.fromCadreId)}>
            <option value="">{t("pairing.chooseCadre")}</option>
            {holders.map((c) => (
              <option key={c.id} value={c.id}>
                {t("pairing.cadreOption", { name: c.name, n: c.households })}
                {c.active ? "" : ` · ${t("pairing.inactive")}`}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={<label htmlFor={fields.toCadreId.id}>{t("pairing.transfer.to")}</label>}
          errorId={fields.toCadreId.errorId}
          errors={fields.toCadreId.errors}
        >
          <select {...getSelectProps(fields.toCadreId)}>
            <option value="">{t("pairing.chooseCadre")}</option>
            <CadreOptions cadres={cadres} t={t} />
          </select>
        </Field>
        <Field
          label={<label htmlFor={fields.startsOn.id}>{t("pairing.startsOn")}</label>}
          errorId={fields.startsOn.errorId}
          errors={fields.startsOn.errors}
        >
          <input {...getInputProps(fields.startsOn, { type: "date" })} max={today} />
        </Field>
        <Field
          label={<label htmlFor={fields.reason.id}>{t("pairing.reason")}</label>}
          errorId={fields.reason.errorId}
          errors={fields.reason.errors}
        >
          <input
            {...getInputProps(fields.reason, { type: "text" })}
            placeholder={t("pairing.transfer.reasonPlaceholder")}
          />
        </Field>
        <button className="button" type="submit" disabled={busy}>
          {t("pairing.transfer.submit")}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
