import { getFormProps, getInputProps, useForm, type FieldMetadata } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { useLocale, useT } from "~/i18n";
import type { ReferenceListsPage } from "~/models/reference-lists.server";
import { type ReferenceAddSchema, type ReferenceRenameSchema, type ReferenceListName } from "~/schemas/reference-lists";
import { useIntentResult } from "~/utils/intent-reply";
import { CalendarForm } from "./calendar-form";
import { INTENT } from "./intents";
import { dateTimeFormat } from "~/utils/intl";

type Entry = ReferenceListsPage["entries"][number];

/** A new entry of the list shown: its code, given once, and its names. */
export function AddEntryForm({ list }: { list: ReferenceListName }) {
  const lastResult = useIntentResult(INTENT.add);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof ReferenceAddSchema>>({
    id: `reference-add-${list}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.ReferenceAddSchema,
    defaultValue: { list },
  });
  return (
    <Form method="post" action={`/admin/reference?list=${list}`} className="form" {...getFormProps(form)}>
      <input type="hidden" name="intent" value={INTENT.add} />
      <input {...getInputProps(fields.list, { type: "hidden" })} />
      <ErrorList id={form.errorId} errors={form.errors} />
      <Field
        label={<label htmlFor={fields.code.id}>{t("reference.code")}</label>}
        hint={t("reference.codeHint")}
        errorId={fields.code.errorId}
        errors={fields.code.errors}
      >
        <input
          {...getInputProps(fields.code, { type: "text" })}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
        />
      </Field>
      <NameFields nameZh={fields.nameZh} nameEn={fields.nameEn} />
      <button className="button" type="submit" disabled={navigation.state === "submitting"}>
        {t("reference.addSubmit")}
      </button>
    </Form>
  );
}

/** One entry: its names, code and use; rename it, retire or restore it, at the version shown. */
export function EntryRow({ list, entry }: { list: ReferenceListName; entry: Entry }) {
  const rename = useIntentResult(INTENT.rename, entry.code);
  const retired = entry.retiredAt !== null;
  const stateIntent = retired ? INTENT.restore : INTENT.retire;
  const state = useIntentResult(stateIntent, entry.code);
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useForm<z.input<typeof ReferenceRenameSchema>>({
    id: `reference-${list}-${entry.code}-${entry.version}`,
    lastResult: rename,
    constraint: FORM_CONSTRAINTS.ReferenceRenameSchema,
    defaultValue: {
      list,
      code: entry.code,
      version: String(entry.version),
      nameZh: entry.nameZh,
      nameEn: entry.nameEn === entry.nameZh ? "" : entry.nameEn,
    },
  });
  const busy = navigation.state === "submitting";
  const stateErrors = state?.error ? Object.values(state.error).flat() : [];
  const action = `/admin/reference?list=${list}`;
  const uses = [
    list === "povertyCauses" ? t("reference.uses.households", { count: entry.households }) : null,
    list !== "povertyCauses" ? t("reference.uses.plans", { count: entry.plans }) : null,
    list === "crops" ? t("reference.uses.orders", { count: entry.orders }) : null,
  ].filter(Boolean);
  return (
    <li id={`entry-${entry.code}`}>
      <div className="row static">
        <span className="title">
          {entry.nameZh}
          {entry.nameEn !== entry.nameZh ? <span className="muted small"> · {entry.nameEn}</span> : null}
        </span>
        {retired ? <span className="badge bad">{t("reference.retiredBadge")}</span> : null}
        <span className="meta">
          <code>{entry.code}</code> · {uses.join(" · ")}
          {retired
            ? ` · ${t("reference.retiredOn", {
                date: dateTimeFormat(locale === "en" ? "en-GB" : "zh-CN").format(new Date(entry.retiredAt!)),
              })}`
            : ""}
        </span>
      </div>
      <ErrorList errors={stateErrors} />
      <div className="reference-actions">
        <details className="inline" open={Boolean(rename)}>
          <summary>{t("reference.rename")}</summary>
          <Form method="post" action={action} className="form" {...getFormProps(form)}>
            <input type="hidden" name="intent" value={INTENT.rename} />
            <input {...getInputProps(fields.list, { type: "hidden" })} />
            <input {...getInputProps(fields.code, { type: "hidden" })} />
            <input {...getInputProps(fields.version, { type: "hidden" })} />
            <ErrorList id={form.errorId} errors={form.errors} />
            <NameFields nameZh={fields.nameZh} nameEn={fields.nameEn} />
            <button className="button" type="submit" disabled={busy}>
              {t("reference.save")}
            </button>
          </Form>
        </details>
        {entry.calendar && list !== "povertyCauses" ? (
          <CalendarForm list={list} code={entry.code} version={entry.version} calendar={entry.calendar} />
        ) : null}
        <Form method="post" action={action}>
          <input type="hidden" name="intent" value={stateIntent} />
          <input type="hidden" name="list" value={list} />
          <input type="hidden" name="code" value={entry.code} />
          <input type="hidden" name="version" value={entry.version} />
          <button className="button secondary small-button" type="submit" disabled={busy}>
            {t(retired ? "reference.restore" : "reference.retire")}
          </button>
        </Form>
      </div>
    </li>
  );
}

/** The Chinese name (required) and the English one, in the add form and each rename form. */
function NameFields({ nameZh, nameEn }: { nameZh: FieldMetadata<string>; nameEn: FieldMetadata<string | null> }) {
  const t = useT();
  return (
    <>
      <Field
        label={<label htmlFor={nameZh.id}>{t("reference.nameZh")}</label>}
        errorId={nameZh.errorId}
        errors={nameZh.errors}
      >
        <input {...getInputProps(nameZh, { type: "text" })} autoComplete="off" />
      </Field>
      <Field
        label={<label htmlFor={nameEn.id}>{t("reference.nameEn")}</label>}
        hint={t("reference.nameEnHint")}
        errorId={nameEn.errorId}
        errors={nameEn.errors}
      >
        <input {...getInputProps(nameEn, { type: "text" })} autoComplete="off" />
      </Field>
    </>
  );
}
