import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { requirePermission } from "~/http/auth.server";
import { notFound, readForm, runModel, toResponse } from "~/http/form.server";
import { useLocale, useT, type MessageKey } from "~/i18n";
import { saveSettings, settingsPage } from "~/models/settings.server";
import { SETTING_KEYS, fieldOf, settingsFormSchema, settingsInputOf, type SettingKey } from "~/schemas/settings";
import { titleMeta } from "~/utils/meta";
import { parseForm } from "~/utils/zod-messages";

export const meta = titleMeta("settings.metaTitle");

const TownshipParam = z.uuid().optional().catch(undefined);

const GROUPS: { title: MessageKey; keys: SettingKey[] }[] = [
  { title: "settings.group.visits", keys: ["check.intervalDays", "check.monitoredIntervalDays"] },
  { title: "settings.group.work", keys: ["check.editWindowHours", "cadre.maxHouseholds"] },
  { title: "settings.group.points", keys: SETTING_KEYS.filter((k) => k.startsWith("points.")) },
];

/** The township of `?township=` (the administrator's choice; an official always has their own). */
function townshipParam(request: Request) {
  const raw = new URL(request.url).searchParams.get("township");
  if (raw === null || raw === "") return null;
  const parsed = TownshipParam.parse(raw);
  if (!parsed) notFound();
  return parsed;
}

async function pageOf(request: Request, scope: Parameters<typeof settingsPage>[0]["scope"]) {
  try {
    return await settingsPage({ scope, townshipId: townshipParam(request) });
  } catch (error) {
    throw toResponse(error);
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "settings.manage");
  const page = await pageOf(request, user.scope);
  return { ...page, role: user.scope.role };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "settings.manage");
  const townshipId = user.scope.role === "official" ? user.scope.townshipId : townshipParam(request);
  const formData = await readForm(request);
  const schema = settingsFormSchema(townshipId ? "township" : "county");
  const submission = parseForm(formData, { schema });
  if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
  const input = settingsInputOf(submission.value as Record<string, unknown>);
  const result = await runModel(submission, () => saveSettings({ scope: user.scope, townshipId, input }));
  if (!result.ok) return result.response;
  const query = new URLSearchParams();
  if (user.scope.role === "admin" && townshipId) query.set("township", townshipId);
  query.set(result.value.changed ? "saved" : "unchanged", input.effectiveFrom);
  return redirect(`/admin/settings?${query}`);
}

export default function SettingsPage() {
  const data = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const level = data.region ? "township" : "county";
  const schema = settingsFormSchema(level);
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
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, { schema }),
    defaultValue,
  });
  const field = (name: string) => fields[name as keyof typeof fields];
  const regionName = (r: { name: string; nameEn: string | null }) => (locale === "en" && r.nameEn ? r.nameEn : r.name);
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString(locale === "en" ? "en-GB" : "zh-CN");
  const at = (iso: string) =>
    new Date(iso).toLocaleString(locale === "en" ? "en-GB" : "zh-CN", { timeZone: "Asia/Shanghai" });
  const saved = searchParams.get("saved");
  const unchanged = searchParams.get("unchanged");
  const action = `/admin/settings${data.role === "admin" && data.region ? `?township=${data.region.id}` : ""}`;

  return (
    <>
      <h1>
        {data.region ? t("settings.title.township", { township: regionName(data.region) }) : t("settings.title.county")}
      </h1>
      <p className="muted small">{t("settings.intro")}</p>
      {data.region ? <p className="muted small">{t("settings.introTownship")}</p> : null}
      {data.role === "admin" ? (
        <Form method="get" className="order-filters">
          <div className="filter-grid order-filter-grid">
            <div className="filter">
              <label htmlFor="settings-township">{t("settings.region")}</label>
              <select id="settings-township" name="township" defaultValue={data.region?.id ?? ""}>
                <option value="">{t("settings.region.county")}</option>
                {data.townships.map((tw) => (
                  <option key={tw.id} value={tw.id}>
                    {regionName(tw)}
                  </option>
                ))}
              </select>
            </div>
            <div className="filter order-filter-actions">
              <button type="submit" className="button secondary small-button">
                {t("settings.region.submit")}
              </button>
            </div>
          </div>
        </Form>
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
