import type { ReactNode } from "react";
import { messageText, useT } from "~/i18n";

export type ListOfErrors = Array<string | null | undefined> | null | undefined;

export function useMessage() {
  const t = useT();
  return (raw: string) => messageText(t, raw);
}

/** Schema messages are dictionary keys, so one schema speaks both languages; other text shows as-is. */
export function ErrorList({ id, errors }: { id?: string; errors?: ListOfErrors }) {
  const m = useMessage();
  const shown = errors?.filter(Boolean) as string[] | undefined;
  if (!shown?.length) return null;
  return (
    <ul id={id} className="error-list" aria-live="polite">
      {shown.map((e) => (
        <li key={e}>{m(e)}</li>
      ))}
    </ul>
  );
}

export function Field({
  label,
  errorId,
  errors,
  children,
  hint,
}: {
  label: ReactNode;
  errorId?: string;
  errors?: ListOfErrors;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="field">
      {label}
      {children}
      {hint ? <div className="muted small">{hint}</div> : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}
