import { getInputProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { Field } from "~/components/forms";
import { useT } from "~/i18n";
import { sqmToMu } from "~/utils/units";

/** An area in square metres, with its size in mu beside it as the reader types. */
export function AreaField({
  meta,
  label,
  readOnly,
  note,
}: {
  meta: FieldMetadata<number>;
  label: string;
  readOnly?: boolean;
  note?: ReactNode;
}) {
  const t = useT();
  const value = Number(meta.value);
  const mu =
    meta.value !== undefined && meta.value !== "" && Number.isFinite(value)
      ? t("unit.mu", { value: sqmToMu(value) })
      : null;
  return (
    <Field
      label={<label htmlFor={meta.id}>{label}</label>}
      hint={
        note ? (
          <>
            {mu ? `${mu} · ` : null}
            {note}
          </>
        ) : (
          (mu ?? t("plan.sqmHint"))
        )
      }
      errorId={meta.errorId}
      errors={meta.errors}
    >
      <input {...getInputProps(meta, { type: "number" })} step="0.01" inputMode="decimal" readOnly={readOnly} />
    </Field>
  );
}
