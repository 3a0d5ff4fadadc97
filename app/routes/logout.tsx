import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signOut } from "~/http/auth.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  // nothing of this user stays on the phone: cached pages, the outbox, the service worker
  return redirect("/login", {
    headers: { "Set-Cookie": await signOut(request), "Clear-Site-Data": '"cache", "storage"' },
  });
}
