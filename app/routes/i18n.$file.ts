import type { LoaderFunctionArgs } from "@remix-run/node";
import { messagesFileFor } from "~/i18n/dictionaries.server";

// The reader's dictionary, fetched by the browser before it hydrates a page (the page's HTML is already in
// its language). The same words for everyone, signed in or not: the name's hash changes with them, so the
// phone and the service worker keep the file for good and the page's data no longer carries it.
export async function loader({ params }: LoaderFunctionArgs) {
  const file = messagesFileFor(params.file ?? "");
  if (!file) {
    return new Response("Not found", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  return new Response(file.body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": file.fresh ? "public, max-age=31536000, immutable" : "no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
