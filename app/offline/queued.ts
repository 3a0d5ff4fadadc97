// The answer of a check post kept on the phone, and what the pages around the form do with it. Kept apart
// from the outbox so the root route does not carry IndexedDB code.
import type { ShouldRevalidateFunction } from "@remix-run/react";

export const isQueued = (data: unknown): data is { queued: true } =>
  typeof data === "object" && data !== null && "queued" in data;

/**
 * A visit kept on the phone is no reason to reload the page's data: offline that load fails, and its error
 * page would take the place of the form. Every route the check form sits in uses this.
 */
export const skipRevalidationWhenQueued: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  isQueued(actionResult) ? false : defaultShouldRevalidate;
