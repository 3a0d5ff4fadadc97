// A check form posted by the phone's outbox, read and recorded as the check form's own action does (the
// same multipart form), with the outcome and its messages for the outbox's short answer.
import { recordCheck } from "~/models/checks.server";
import type { Scope } from "~/models/scope.server";
import { CheckSchema } from "~/schemas/check";
import { todayISO } from "~/utils/dates";
import { parseForm } from "~/utils/zod-messages";
import { readForm, runModel } from "./form.server";
import { photoUploadHandler } from "./photo-upload.server";

/** The check recorded (or found: the same form posted before), or the refusal a page shows and its messages. */
export type CheckPosted = { saved: { id: string } } | { refused: Response; messages: string[] };

const messagesOf = (error: Record<string, (string | null)[] | null | undefined> | null | undefined) =>
  Object.values(error ?? {})
    .flat()
    .filter((m): m is string => typeof m === "string");

export async function postCheck(request: Request, scope: Scope, householdId: string): Promise<CheckPosted> {
  const upload = photoUploadHandler();
  const formData = await readForm(request, upload.handler).catch((error) => {
    if (!upload.state.refusal) throw error;
    return null;
  });
  if (upload.state.refusal || !formData) {
    const error = { photos: [upload.state.refusal ?? null] };
    return { refused: Response.json({ status: "error", error }, { status: 400 }), messages: messagesOf(error) };
  }
  const submission = parseForm(formData, { schema: CheckSchema });
  if (submission.status !== "success") {
    return {
      refused: Response.json(submission.reply({ hideFields: ["photos"] }), { status: 400 }),
      messages: messagesOf(submission.error),
    };
  }
  const { photos = [], ...input } = submission.value;
  const uploads = await Promise.all(
    photos.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
  const result = await runModel(submission, () =>
    recordCheck({ scope, householdId, input, photos: uploads, today: todayISO() }),
  );
  if (result.ok) return { saved: { id: result.value.id } };
  const reply = (await result.response.clone().json()) as { error?: Record<string, string[] | null> };
  return { refused: result.response, messages: messagesOf(reply.error) };
}
