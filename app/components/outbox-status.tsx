import { useRouteLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { messageText, useT, type MessageKey } from "~/i18n";
import { dropOutboxItem, OUTBOX_CHANGED, outboxOf, type OutboxItem } from "~/offline/outbox";
import { keepHouseholds } from "~/offline/session";
import { sendOutboxItem, syncOutbox, type Progress, type SyncEnd } from "~/offline/sync";

/** The fields of a kept visit the cadre reads back (the rest are the form's own). */
const SHOWN: [string, MessageKey][] = [
  ["visitedOn", "checks.visitedOn"],
  ["livingNote", "record.zone.living"],
  ["plantingNote", "record.zone.planting"],
  ["raisingNote", "record.zone.raising"],
  ["seen", "checks.seen"],
  ["problems", "checks.problems"],
  ["measures", "checks.measures"],
  ["helpNeeded", "checks.helpNeeded"],
];

const RETRY_FIRST_MS = 5_000;
const RETRY_LAST_MS = 120_000;

/**
 * The cadre's visits saved on the phone and not yet on the server: how many, the upload in progress, and
 * the ones the server would not take as they are, each with its reason and what the cadre may do.
 * Sends them when the network comes back, when a page opens, and on the retry button.
 */
export function OutboxStatus({ userId }: { userId: string }) {
  const t = useT();
  const [items, setItems] = useState<OutboxItem[]>([]);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [ended, setEnded] = useState<SyncEnd>("done");
  const home = useRouteLoaderData("routes/_app._index") as { worklist?: { id: string }[] } | undefined;

  const reload = useCallback(() => {
    outboxOf(userId).then(setItems, () => setItems([]));
  }, [userId]);

  // the signal comes back in stutters: the send right after the phone says "online" may still fail, and
  // nothing else would try again until the next page or tap; so a failed round is tried again, less often
  // each time, while the phone still says it is online
  const retry = useRef<{ timer?: ReturnType<typeof setTimeout>; wait: number }>({ wait: RETRY_FIRST_MS });
  const sync = useCallback(() => {
    clearTimeout(retry.current.timer);
    if (!navigator.onLine) return;
    void syncOutbox(userId, setProgress).then((end) => {
      setProgress(null);
      setEnded(end);
      if (end !== "offline") {
        retry.current.wait = RETRY_FIRST_MS;
        return;
      }
      retry.current.timer = setTimeout(sync, retry.current.wait);
      retry.current.wait = Math.min(retry.current.wait * 2, RETRY_LAST_MS);
    });
  }, [userId]);

  useEffect(() => {
    const pending = retry.current;
    reload();
    sync();
    window.addEventListener(OUTBOX_CHANGED, reload);
    window.addEventListener("online", sync);
    return () => {
      clearTimeout(pending.timer);
      window.removeEventListener(OUTBOX_CHANGED, reload);
      window.removeEventListener("online", sync);
    };
  }, [reload, sync]);

  // a visit just kept on the phone may go at once when the failure was only that one post
  useEffect(() => {
    if (items.some((i) => !i.held) && !progress) sync();
    // only when the list changes
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items]);

  const held = home?.worklist?.map((r) => r.id);
  useEffect(() => {
    if (held) keepHouseholds(held);
  }, [held?.join()]); // eslint-disable-line react-hooks/exhaustive-deps

  if (items.length === 0) return null;
  const resubmit = (item: OutboxItem) =>
    void sendOutboxItem(item, setProgress, { acknowledged: true }).then((end) => {
      setProgress(null);
      if (end) setEnded(end);
    });
  return (
    <section className="card outbox" aria-labelledby="outbox-title" data-testid="outbox">
      <p className="outbox-head">
        <b id="outbox-title" role="status">
          {t("outbox.pending", { count: items.length })}
        </b>
        <button type="button" className="button secondary" onClick={sync} disabled={Boolean(progress)}>
          {t("outbox.retry")}
        </button>
      </p>
      {progress ? (
        <label className="outbox-progress small">
          {t("outbox.sending")}
          <progress max={progress.total || 1} value={progress.loaded} />
        </label>
      ) : (
        <p className="muted small">{ended === "signedOut" ? t("outbox.signIn") : t("outbox.waiting")}</p>
      )}
      {items.some((i) => i.held) ? (
        <ul className="rows">
          {items
            .filter((i) => i.held)
            .map((item) => (
              <li key={item.clientId} className="outbox-held" data-testid="outbox-held">
                <p>
                  <b>{item.label}</b> <span className="badge bad">{t(`outbox.reason.${item.held!}`)}</span>
                </p>
                {item.held === "reassigned" ? <p className="small">{t("outbox.reassignedHint")}</p> : null}
                {item.errors?.length ? (
                  <ul className="error-list">
                    {item.errors.map((e) => (
                      <li key={e}>{messageText(t, e)}</li>
                    ))}
                  </ul>
                ) : null}
                <dl className="facts small">
                  {SHOWN.map(([name, label]) => {
                    const value = item.fields.find(([n]) => n === name)?.[1];
                    return value ? (
                      <div key={name}>
                        <dt>{t(label)}</dt>
                        <dd>{value}</dd>
                      </div>
                    ) : null;
                  })}
                </dl>
                <p className="actions">
                  {item.held === "planChanged" ? (
                    <button type="button" className="button" onClick={() => resubmit(item)}>
                      {t("outbox.resubmit")}
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="button secondary"
                    onClick={() => {
                      if (window.confirm(t("outbox.deleteConfirm"))) void dropOutboxItem(item.clientId);
                    }}
                  >
                    {t("outbox.delete")}
                  </button>
                </p>
              </li>
            ))}
        </ul>
      ) : null}
    </section>
  );
}
