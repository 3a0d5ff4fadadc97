import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getPhoto } from "~/models/checks.server";
import { requireUser } from "~/http/auth.server";
import { auditedResource } from "~/http/refusals.server";

// Photos are served only to users whose scope holds the household; 404 for everyone else.
export const loader = auditedResource(async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const id = z.uuid().safeParse(params.photoId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const preview = new URL(request.url).searchParams.has("preview");
  const photo = await getPhoto({ scope: user.scope, photoId: id.data, preview });
  if (!photo) throw new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(photo.bytes), {
    headers: {
      "Content-Type": photo.mimeType,
      "Cache-Control": "private, max-age=86400",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
