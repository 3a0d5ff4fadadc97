import { getFormProps, useForm } from "@conform-to/react";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList } from "~/components/forms";
import { useT, type MessageKey } from "~/i18n";
import { useIntentResult } from "~/utils/intent-reply";
import { INTENT } from "./intents";
import type { loader } from "./route";

/** "orders.error.transition|{from, to}" carries status codes; the message shows their names. */
function useStatusNames() {
  const t = useT();
  return (raw: string) => {
    const [key, json] = raw.split("|");
    if (key !== "orders.error.transition" || !json) return raw;
    try {
      const { from, to } = JSON.parse(json) as { from: string; to: string };
      return t("orders.error.transition", {
        from: t(`orders.status.${from}` as MessageKey),
        to: t(`orders.status.${to}` as MessageKey),
      });
    } catch {
      return raw;
    }
  };
}

export function StatusForm() {
  const withStatusNames = useStatusNames();
  const { order, can } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.status);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm({ id: "status", lastResult });
  if (can.transitions.length === 0 && !lastResult) return null;
  return (
    <section id="status" aria-label={t("orders.status.change")}>
      <Form method="post" action={`/orders/${order.id}`} {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.status} />
        <input type="hidden" name="version" value={order.version} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <ErrorList errors={fields.status.errors?.map(withStatusNames)} />
        <div className="transitions">
          {can.transitions.map((to) => (
            <button
              key={to}
              type="submit"
              name="status"
              value={to}
              className={to === "cancelled" || to === "draft" ? "button secondary" : "button"}
              disabled={navigation.state === "submitting"}
            >
              {t(`orders.to.${to}` as MessageKey)}
            </button>
          ))}
        </div>
      </Form>
    </section>
  );
}
