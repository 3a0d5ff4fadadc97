import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requirePermission } from "~/http/auth.server";
import { postCheck } from "~/http/check-post.server";
import { notFound } from "~/http/form.server";
import { auditedResource } from "~/http/refusals.server";
import { findCheckByClientId } from "~/models/checks.server";
import { householdIsInScope } from "~/models/scope.server";
import { OUTBOX_HEADER, outboxAnswer } from "~/offline/check-action";

// Where the phone's outbox sends a visit kept offline: the check form's own post, answered with a short
// JSON outcome the outbox files (saved / plan changed / refused; 404: the household is no longer the
// cadre's) instead of a page.

const ParamsSchema = z.object({ householdId: z.uuid() });

async function household(request: Request, params: unknown) {
  const user = await requirePermission(request, "check.record");
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const inScope = await householdIsInScope({ scope: user.scope, id: parsed.data.householdId });
  return { user, householdId: parsed.data.householdId, inScope };
}

export const loader = auditedResource(async ({ request, params }: LoaderFunctionArgs) => {
  const { inScope } = await household(request, params);
  if (!inScope) notFound();
  return new Response("Method not allowed: the outbox posts here", {
    status: 405,
    headers: { Allow: "POST", "Content-Type": "text/plain; charset=utf-8" },
  });
});

export const action = auditedResource(async ({ request, params }: ActionFunctionArgs) => {
  const { user, householdId, inScope } = await household(request, params);
  if (!inScope) {
    // sent again after the household was handed on: its first post was recorded, and that is the answer
    const clientId = z.uuid().safeParse(request.headers.get(OUTBOX_HEADER));
    const earlier = clientId.success ? await findCheckByClientId(user.scope, clientId.data) : undefined;
    if (earlier) return outboxAnswer({ outcome: "saved", checkId: earlier.id });
    notFound();
  }
  const posted = await postCheck(request, user.scope, householdId);
  if ("saved" in posted) return outboxAnswer({ outcome: "saved", checkId: posted.saved.id });
  return outboxAnswer(
    posted.messages.includes("check.error.planChanged")
      ? { outcome: "planChanged" }
      : { outcome: "refused", errors: posted.messages },
  );
});
