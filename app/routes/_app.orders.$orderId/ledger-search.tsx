import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pager } from "~/components/pager";
import { useLocale, useT } from "~/i18n";
import { orderAllocationLinks } from "~/utils/list-urls";
import type { loader } from "./route";
import { numberFormat } from "~/utils/intl";

/**
 * The ledger's search by name, household code or an ID number's last 4 characters: a GET form, so it
 * works without JavaScript; the picker's `q` rides along so an open search for a new share is kept.
 */
export function LedgerSearch() {
  const { order, ledgerParams, allocationPage, allocationCount, q } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = numberFormat(useLocale());
  const searched = Boolean(ledgerParams.household);
  if (!searched && allocationCount <= orderAllocationLinks.sizes[0]) return null;
  return (
    <>
      <Form method="get" action={`/orders/${order.id}#households`} className="search-bar" role="search">
        {q ? <input type="hidden" name="q" value={q} /> : null}
        {ledgerParams.size !== orderAllocationLinks.defaults.size ? (
          <input type="hidden" name="size" value={ledgerParams.size} />
        ) : null}
        <label className="visually-hidden" htmlFor="ledger-search">
          {t("orders.ledger.search")}
        </label>
        <input
          id="ledger-search"
          type="search"
          name="household"
          defaultValue={ledgerParams.household ?? ""}
          maxLength={20}
          placeholder={t("orders.ledger.search")}
        />
        <button className="button secondary" type="submit">
          {t("orders.allocate.searchButton")}
        </button>
      </Form>
      {searched ? (
        <p className="muted small" data-testid="ledger-found">
          {allocationPage.total
            ? t("orders.ledger.found", { count: fmt.format(allocationPage.total) })
            : t("orders.ledger.notFound")}{" "}
          <Link to={ledgerHref(order.id, ledgerParams, { household: null, page: null })}>
            {t("orders.ledger.clear")}
          </Link>
        </p>
      ) : (
        <p className="muted small">{t("orders.ledger.order")}</p>
      )}
    </>
  );
}

/** The ledger's pager, under the households' cards: the same page of households as the table above. */
export function LedgerPager() {
  const { order, ledgerParams, allocationPage, households } = useLoaderData<typeof loader>();
  return (
    <Pager
      {...allocationPage}
      shown={households.length}
      pageSizes={orderAllocationLinks.sizes}
      href={(changes) => ledgerHref(order.id, ledgerParams, changes)}
    />
  );
}

function ledgerHref(
  orderId: string,
  params: Parameters<typeof orderAllocationLinks.search>[0],
  changes: Parameters<typeof orderAllocationLinks.search>[1],
) {
  const search = orderAllocationLinks.search(params, changes);
  return `/orders/${orderId}${search === "?" ? "" : search}#households`;
}
