import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMessage } from "~/components/forms";
import { useT } from "~/i18n";
import type { action, loader, SolveReply } from "./route";

/** Problems found on visits and still open; whoever may record checks marks one solved here, with the day. */
export function Problems() {
  const { problems, can, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as SolveReply | undefined;
  const navigation = useNavigation();
  const t = useT();
  const m = useMessage();
  if (!problems || problems.length === 0) return null;
  const failed = actionData && "solve" in actionData ? actionData.solve : null;
  return (
    <section id="problems" className="problems" aria-labelledby="problems-title">
      <h2 id="problems-title">{t("household.openProblems")}</h2>
      <ul className="rows" data-testid="household-problems">
        {problems.map((p) => {
          const error = failed?.checkId === p.checkId ? failed : null;
          const errorId = `solve-error-${p.checkId}`;
          return (
            <li key={p.checkId} className="problem" data-testid="problem">
              <span className="badge warn">{t("home.problems.found", { date: p.visitedOn })}</span> {p.problems}
              {can.recordCheck ? (
                <Form method="post" className="solve-form" preventScrollReset>
                  <input type="hidden" name="intent" value="solve" />
                  <input type="hidden" name="checkId" value={p.checkId} />
                  <label htmlFor={`solved-on-${p.checkId}`} className="small">
                    {t("points.solvedOnLabel")}
                  </label>
                  <input
                    id={`solved-on-${p.checkId}`}
                    type="date"
                    name="solvedOn"
                    required
                    min={p.visitedOn}
                    max={today}
                    defaultValue={error?.solvedOn ?? today}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? errorId : undefined}
                  />
                  <button type="submit" className="button secondary" disabled={navigation.state === "submitting"}>
                    {t("points.markSolved")}
                  </button>
                  {error ? (
                    <ul id={errorId} className="error-list" aria-live="polite">
                      {error.errors.map((e) => (
                        <li key={e}>{m(e)}</li>
                      ))}
                    </ul>
                  ) : null}
                </Form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
