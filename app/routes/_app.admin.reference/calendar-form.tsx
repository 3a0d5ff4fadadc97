import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import { stagesOf, type Stage } from "~/utils/calendar";
import { useIntentResult } from "~/utils/intent-reply";
import { INTENT } from "./intents";

/**
 * A crop's or animal's key dates, "月-日" each, at the version shown. Checked on the server only: the
 * reply brings the messages back next to the fields with the input kept.
 */
export function CalendarForm({
  list,
  code,
  version,
  calendar,
}: {
  list: "crops" | "animals";
  code: string;
  version: number;
  calendar: Partial<Record<Stage, string | null>>;
}) {
  const lastResult = useIntentResult(INTENT.calendar, code);
  const navigation = useNavigation();
  const t = useT();
  const stages = stagesOf(list === "crops" ? "crop" : "animal");
  const [form, fields] = useForm<Record<string, string>>({
    id: `calendar-${list}-${code}-${version}`,
    lastResult,
    shouldValidate: "onSubmit",
    defaultValue: {
      list,
      code,
      version: String(version),
      ...Object.fromEntries(stages.map((s) => [s, calendar[s] ?? ""])),
    },
  });
  const summary = stages
    .filter((s) => calendar[s])
    .map((s) => `${t(`calendar.stage.${s}`)} ${calendar[s]}`)
    .join(" · ");
  return (
    <details className="inline" open={Boolean(lastResult)}>
      <summary>
        {t("calendar.title")}
        <span className="muted small"> · {summary || t("calendar.none")}</span>
      </summary>
      <Form method="post" action={`/admin/reference?list=${list}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.calendar} />
        <input {...getInputProps(fields.list, { type: "hidden" })} />
        <input {...getInputProps(fields.code, { type: "hidden" })} />
        <input {...getInputProps(fields.version, { type: "hidden" })} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <p className="muted small">{t("calendar.hint")}</p>
        {stages.map((stage) => (
          <Field
            key={stage}
            label={<label htmlFor={fields[stage].id}>{t(`calendar.stage.${stage}`)}</label>}
            errorId={fields[stage].errorId}
            errors={fields[stage].errors}
          >
            <input
              {...getInputProps(fields[stage], { type: "text" })}
              inputMode="numeric"
              placeholder="05-01"
              autoComplete="off"
              size={6}
            />
          </Field>
        ))}
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("calendar.save")}
        </button>
      </Form>
    </details>
  );
}
