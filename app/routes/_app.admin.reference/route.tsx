import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PageHeading, pageMeta } from "~/components/page-title";
import { requirePermission } from "~/http/auth.server";
import { readForm, runModel } from "~/http/form.server";
import { useT, type MessageKey } from "~/i18n";
import { setCalendar } from "~/models/calendar.server";
import { addEntry, referenceListsPage, renameEntry, restoreEntry, retireEntry } from "~/models/reference-lists.server";
import {
  REFERENCE_LISTS,
  ReferenceAddSchema,
  ReferenceCalendarSchema,
  ReferenceRenameSchema,
  ReferenceStateSchema,
  type ReferenceListName,
} from "~/schemas/reference-lists";
import { intentReply, intentReplyFrom } from "~/utils/intent-reply";
import { parseForm } from "~/utils/zod-messages";
import { AddEntryForm, EntryRow } from "./entry-forms";
import { INTENT } from "./intents";

export const meta = pageMeta("reference.metaTitle");

/** The list shown: ?list=crops|animals|povertyCauses, crops when absent or unknown. */
function listOf(url: string): ReferenceListName {
  const asked = new URL(url).searchParams.get("list");
  return (REFERENCE_LISTS as readonly string[]).includes(asked ?? "") ? (asked as ReferenceListName) : "crops";
}

const pageUrl = (list: ReferenceListName, extra = "") => `/admin/reference?list=${list}${extra}`;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "reference.manage");
  return referenceListsPage({ scope: user.scope, list: listOf(request.url) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "reference.manage");
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  // a row's forms are told apart by the entry's code
  const target = intent === INTENT.add ? undefined : String(formData.get("code") ?? "");
  const reply = (result: SubmissionResult<string[]>, status: number) => intentReply(intent, result, status, target);
  const done = (list: ReferenceListName, saved: string, code: string) =>
    redirect(pageUrl(list, `&saved=${saved}#entry-${code}`));

  switch (intent) {
    case INTENT.add: {
      const submission = parseForm(formData, { schema: ReferenceAddSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400);
      const result = await runModel(submission, () => addEntry({ scope: user.scope, input: submission.value }));
      if (!result.ok) return intentReplyFrom(result.response, intent);
      return done(submission.value.list, "added", result.value.code);
    }
    case INTENT.rename: {
      const submission = parseForm(formData, { schema: ReferenceRenameSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400);
      const result = await runModel(submission, () => renameEntry({ scope: user.scope, input: submission.value }));
      if (!result.ok) return intentReplyFrom(result.response, intent, target);
      return done(submission.value.list, "renamed", submission.value.code);
    }
    case INTENT.retire:
    case INTENT.restore: {
      const submission = parseForm(formData, { schema: ReferenceStateSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400);
      const change = intent === INTENT.retire ? retireEntry : restoreEntry;
      const result = await runModel(submission, () => change({ scope: user.scope, ...submission.value }));
      if (!result.ok) return intentReplyFrom(result.response, intent, target);
      return done(submission.value.list, intent === INTENT.retire ? "retired" : "restored", submission.value.code);
    }
    case INTENT.calendar: {
      const submission = parseForm(formData, { schema: ReferenceCalendarSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400);
      const result = await runModel(submission, () => setCalendar({ scope: user.scope, input: submission.value }));
      if (!result.ok) return intentReplyFrom(result.response, intent, target);
      return done(submission.value.list, "calendar", submission.value.code);
    }
    default:
      return reply({ status: "error", error: { "": ["field.choice"] } }, 400);
  }
}

const SAVED = ["added", "renamed", "retired", "restored", "calendar"] as const;

export default function ReferenceListsPage() {
  const page = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const saved = SAVED.find((s) => s === searchParams.get("saved"));
  return (
    <>
      <PageHeading title={{ key: "reference.title" }} />
      <p className="muted small">{t("reference.intro")}</p>
      <nav className="region-links" aria-label={t("reference.lists")}>
        {page.lists.map((list) => (
          <Link key={list} to={pageUrl(list)} aria-current={list === page.list ? "page" : undefined}>
            {t(`reference.list.${list}`)}
          </Link>
        ))}
      </nav>
      {saved ? (
        <p className="success" role="status">
          {t(saved === "calendar" ? "calendar.saved" : (`reference.saved.${saved}` as MessageKey))}
        </p>
      ) : null}
      <section aria-labelledby="entries">
        <h2 id="entries">{t(`reference.list.${page.list}`)}</h2>
        {page.entries.length ? (
          <ul className="rows reference-rows">
            {page.entries.map((entry) => (
              <EntryRow key={entry.code} list={page.list} entry={entry} />
            ))}
          </ul>
        ) : (
          <p className="muted">{t("reference.none")}</p>
        )}
      </section>
      <section aria-labelledby="add-entry">
        <h2 id="add-entry">{t(`reference.add.${page.list}`)}</h2>
        <AddEntryForm list={page.list} />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
