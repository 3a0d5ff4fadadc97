import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLocale, DEFAULT_LOCALE } from "~/i18n";
import { safeRedirectTo } from "~/http/auth.server";
import { readForm } from "~/http/form.server";
import { localeCookie } from "~/http/locale.server";

// A plain POST so the switch works without JavaScript.
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const locale = form.get("locale");
  return redirect(safeRedirectTo(form.get("redirectTo")), {
    headers: { "Set-Cookie": await localeCookie.serialize(isLocale(locale) ? locale : DEFAULT_LOCALE) },
  });
}

export async function loader() {
  return redirect("/");
}
