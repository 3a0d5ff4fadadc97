// Pages with several forms (an order page, a cooperative page) answer a refused submission with the
// intent — and, for a form repeated per row, its target id — so only the form that was sent shows the
// errors and keeps its input. One module for the action's side and the component's side.
import type { SubmissionResult } from "@conform-to/react";
import { useActionData } from "@remix-run/react";

export type IntentReply = { intent: string; target?: string; result: SubmissionResult<string[]> };

export function intentReply(intent: string, result: SubmissionResult<string[]>, status: number, target?: string) {
  return Response.json({ intent, target, result } satisfies IntentReply, { status });
}

/** runModel's refusal (a Conform reply), tagged with the intent and target it answers. */
export async function intentReplyFrom(response: Response, intent: string, target?: string) {
  return intentReply(intent, await response.json(), response.status, target);
}

/** The last reply, if it answers this form (this intent, and this row when a target is given). */
export function useIntentResult(intent: string, target?: string) {
  const data = useActionData() as IntentReply | undefined;
  if (!data || data.intent !== intent) return undefined;
  if (target !== undefined && data.target !== target) return undefined;
  return data.result;
}
