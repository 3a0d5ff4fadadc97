import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { TownshipParamsSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { requirePermission } from "~/http/auth.server";
import { notFound, readForm, runModel, toResponse } from "~/http/form.server";
import { useLocale, useT, type MessageKey } from "~/i18n";
import { saveSettings, settingsPage, settingsRegion } from "~/models/settings.server";
import { SETTING_KEYS, fieldOf, type SettingKey } from "~/schemas/plain";
import { settingsFormSchema, settingsInputOf } from "~/schemas/settings";
import { pageMeta } from "~/components/page-title";
import { parseForm } from "~/utils/zod-messages";
import { DATE_AND_TIME, dateTimeFormat } from "~/utils/intl";

export const meta = pageMeta("settings.metaTitle");

const GROUPS: { title: MessageKey; keys: SettingKey[] }[] = [
  { title: "settings.group.visits", keys: ["check.intervalDays", "check.monitoredIntervalDays"] },
  { title: "settings.group.work", keys: ["check.editWindowHours", "cadre.maxHouseholds"] },
  { title: "settings.group.points", keys: SETTING_KEYS.filter((k) => k.startsWith("points.")) },
];

/**
 * The township in the URL (/admin/settings/:townshipId): the administrator's choice of one; an official's
 * own, named or not. A record in the path, so a township out of scope is a refusal on the audit log.
 */
function townshipParam(params: unknown) {
  const parsed = TownshipParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  return parsed.data.townshipId ?? null;
}

async function pageOf(params: unknown, scope: Parameters<typeof settingsPage>[0]["scope"]) {
  try {
    return await settingsPage({ scope, townshipId: townshipParam(params) });
  } catch (error) {
    throw toResponse(error);
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "settings.manage");
  const page = await pageOf(params, user.scope);
  return { ...page, role: user.scope.role };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "settings.manage");
  // an official's own township whether named or not; anyone else's is not found before the form is read
  const region = await settingsRegion({ scope: user.scope, townshipId: townshipParam(params) }).catch((error) => {
    throw toResponse(error);
  });
  const townshipId = region?.id ?? null;
  const formData = await readForm(request);
  const schema = settingsFormSchema(townshipId ? "township" : "county");
  const submission = parseForm(formData, { schema });
  if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
  const input = settingsInputOf(submission.value as Record<string, unknown>);
  const result = await runModel(submission, () => saveSettings({ scope: user.scope, townshipId, input }));
  if (!result.ok) return result.response;
  const query = new URLSearchParams({ [result.value.changed ? "saved" : "unchanged"]: input.effectiveFrom });
  return redirect(`${settingsUrl(user.scope.role === "admin" ? townshipId : null)}?${query}`);
}

const settingsUrl = (townshipId: string | null) => `/admin/settings${townshipId ? `/${townshipId}` : ""}`;

export default function SettingsPage() {
  const data = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const level = data.region ? "township" : "county";
  const shown = (v: number | null) => (v === null ? "" : String(v));
  const defaultValue: Record<string, string> = { effectiveFrom: data.today };
  for (const v of data.values) {
    defaultValue[fieldOf(v.key)] = shown(v.own);
    defaultValue[`${fieldOf(v.key)}Shown`] = shown(v.own);
    defaultValue[`${fieldOf(v.key)}Version`] = v.version;
  }
  const [form, fields] = useForm<Record<string, unknown>>({
    id: `settings-${data.region?.id ?? "county"}-${data.values.map((v) => v.version).join("")}`,
    lastResult: useActionData() as SubmissionResult<string[]> | undefined,
    constraint: level === "county" ? FORM_CONSTRAINTS.SettingsCountySchema : FORM_CONSTRAINTS.SettingsTownshipSchema,
    defaultValue,
  });
  const field = (name: string) => fields[name as keyof typeof fields];
  const regionName = (r: { name: string; nameEn: string | null }) => (locale === "en" && r.nameEn ? r.nameEn : r.name);
  const day = (iso: string) => dateTimeFormat(locale === "en" ? "en-GB" : "zh-CN").format(new Date(`${iso}T00:00:00Z`));
  const at = (iso: string) =>
    dateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", { ...DATE_AND_TIME, timeZone: "Asia/Shanghai" }).format(
      new Date(iso),
    );
  const saved = searchParams.get("saved");
  const unchanged = searchParams.get("unchanged");
  const action = settingsUrl(data.role === "admin" ? (data.region?.id ?? null) : null);

  return (
    <>
      <h1>
        {data.region ? t("settings.title.township", { township: regionName(data.region) }) : t("settings.title.county")}
      </h1>
      <p className="muted small">{t("settings.intro")}</p>
      {data.region ? <p className="muted small">{t("settings.introTownship")}</p> : null}
      {data.role === "admin" ? (
        <nav className="region-links" aria-label={t("settings.region")}>
          {[
            { id: null, label: t("settings.region.county") },
            ...data.townships.map((tw) => ({ id: tw.id, label: regionName(tw) })),
          ].map((r) => (
            <Link
              key={r.id ?? "county"}
              to={settingsUrl(r.id)}
              aria-current={(data.region?.id ?? null) === r.id ? "page" : undefined}
            >
              {r.label}
            </Link>
          ))}
        </nav>
      ) : null}
      {saved ? (
        <p className="success" role="status">
          {t("settings.saved", { date: day(saved) })}
        </p>
      ) : unchanged ? (
        <p className="notice" role="status">
          {t("settings.unchanged")}
        </p>
      ) : null}

      <Form method="post" action={action} className="form settings-form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.effectiveFrom.id}>{t("settings.effectiveFrom")}</label>}
          errorId={fields.effectiveFrom.errorId}
          errors={fields.effectiveFrom.errors}
          hint={t("settings.effectiveFromHint")}
        >
          <input {...getInputProps(fields.effectiveFrom, { type: "date" })} min={data.today} />
        </Field>
        {GROUPS.map((group) => (
          <fieldset key={group.title} className="card">
            <legend>{t(group.title)}</legend>
            {group.keys.map((key) => {
              const v = data.values.find((x) => x.key === key)!;
              const f = field(fieldOf(key));
              const unit = t(`settings.unit.${v.unit}`);
              const range = t(key === "check.monitoredIntervalDays" ? "settings.rangeMonitored" : "settings.range", {
                min: v.min,
                max: v.max,
                unit,
              });
              const value = (n: number | null) => (n === null ? t("settings.followsCounty") : `${n} ${unit}`);
              return (
                <div key={key} className="setting" data-key={key}>
                  <Field
                    label={<label htmlFor={f.id}>{t(`settings.key.${key}` as MessageKey)}</label>}
                    errorId={f.errorId}
                    errors={f.errors}
                    hint={
                      <>
                        {range}
                        {data.region ? (
                          <>
                            {" · "}
                            <strong>{t("settings.countyValue", { value: v.county.today, unit })}</strong>
                            {" · "}
                            {t("settings.emptyFollows")}
                          </>
                        ) : null}
                        {v.ahead.map((a) => (
                          <span key={a.from} className="badge">
                            {t("settings.ahead", { date: day(a.from), value: value(a.value) })}
                          </span>
                        ))}
                      </>
                    }
                  >
                    <input
                      {...getInputProps(f, { type: "number" })}
                      inputMode="numeric"
                      step={1}
                      min={v.min}
                      max={v.max}
                    />
                  </Field>
                  <input {...getInputProps(field(`${fieldOf(key)}Shown`), { type: "hidden" })} />
                  <input {...getInputProps(field(`${fieldOf(key)}Version`), { type: "hidden" })} />
                  {v.history.length ? (
                    <details className="setting-history">
                      <summary>{t("settings.history")}</summary>
                      <div className="table-wrap">
                        <table>
                          <thead>
                            <tr>
                              <th scope="col">{t("settings.history.from")}</th>
                              <th scope="col">{t("settings.history.value")}</th>
                              <th scope="col">{t("settings.history.by")}</th>
                              <th scope="col">{t("settings.history.at")}</th>
                            </tr>
                          </thead>
                          <tbody>
                            {v.history.map((h) => (
                              <tr key={h.effectiveFrom}>
                                <td>{day(h.effectiveFrom)}</td>
                                <td>{value(h.value)}</td>
                                <td>{h.by ?? t("settings.history.default")}</td>
                                <td>{at(h.at)}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </div>
                    </details>
                  ) : null}
                </div>
              );
            })}
          </fieldset>
        ))}
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("settings.save")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
