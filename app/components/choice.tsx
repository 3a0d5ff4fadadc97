// A choice from a list as one form field: a plain <select> (it posts without JavaScript and is the
// phone's own picker at 360 px), its label, an optional hint, and its errors next to it, where Conform's
// aria-describedby points. Vocabulary words are shown in the reader's language from their dictionary keys.
import { getSelectProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { useT, type MessageKey } from "~/i18n";
import { Field, type ListOfErrors } from "./forms";

export type ChoiceOption = { value: string; label: string };

type Options =
  /** records the page loaded: households, cadres, … */
  | { options: readonly ChoiceOption[]; words?: never; wordKey?: never }
  /** a vocabulary list (app/vocabulary.ts), each word labelled by the dictionary key `${wordKey}.${word}` */
  | { words: readonly string[]; wordKey: string; options?: never };

export function Choice({
  meta,
  label,
  placeholder,
  hint,
  errors,
  ...list
}: {
  meta: FieldMetadata<any, any, any>;
  label: ReactNode;
  /** an empty first option ("请选择"), for a field with no default */
  placeholder?: string;
  hint?: ReactNode;
  /** the field's errors as the page words them, when it rewrites the schema's */
  errors?: ListOfErrors;
} & Options) {
  const t = useT();
  const options: readonly ChoiceOption[] =
    list.options ?? list.words.map((w) => ({ value: w, label: t(`${list.wordKey}.${w}` as MessageKey) }));
  return (
    <Field
      label={<label htmlFor={meta.id}>{label}</label>}
      hint={hint}
      errorId={meta.errorId}
      errors={errors ?? meta.errors}
    >
      <select {...getSelectProps(meta)}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
