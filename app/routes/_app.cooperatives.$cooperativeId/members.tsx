import { Form, Link, useLoaderData } from "@remix-run/react";
import { DataTablePager, useServerTable } from "~/components/data-table";
import { useT } from "~/i18n";
import { cooperativeMemberLinks } from "~/utils/list-urls";
import { LeaveForm } from "./membership-forms";
import type { loader } from "./route";

/**
 * The current members, a page at a time, with a search by name, household code or an ID number's last
 * 4 characters: a GET form and pager links, so the list narrows and pages without JavaScript too.
 */
export function CurrentMembers() {
  const { cooperative, current, currentPage, currentTotal, memberParams, can } = useLoaderData<typeof loader>();
  const t = useT();
  const table = useServerTable({
    page: { rows: current, ...currentPage },
    columns: [],
    getRowId: (m) => m.membershipId,
    sorting: null,
    href: (changes) => cooperativeMemberLinks.search(memberParams, changes) + "#members",
  });
  const searched = Boolean(memberParams.member);
  return (
    <>
      {currentTotal > cooperativeMemberLinks.sizes[0] || searched ? (
        <Form method="get" action={`/cooperatives/${cooperative.id}#members`} className="search-bar" role="search">
          <label className="visually-hidden" htmlFor="member-search">
            {t("orders.coop.memberSearch")}
          </label>
          <input
            id="member-search"
            type="search"
            name="member"
            defaultValue={memberParams.member ?? ""}
            maxLength={20}
            placeholder={t("orders.coop.memberSearch")}
          />
          <button className="button secondary" type="submit">
            {t("orders.allocate.searchButton")}
          </button>
        </Form>
      ) : null}
      {searched ? (
        <p className="muted small">
          {t("orders.coop.memberFound", { count: currentPage.total })}{" "}
          <Link to={`/cooperatives/${cooperative.id}#members`}>{t("list.filter.clear")}</Link>
        </p>
      ) : null}
      {current.length === 0 ? (
        searched ? null : (
          <p className="muted">{t("orders.coop.noMembers")}</p>
        )
      ) : (
        <ul className="rows" data-testid="current-members">
          {current.map((m) => (
            <li key={m.membershipId}>
              <div className="row static">
                <span className="title">
                  {m.householdId ? <Link to={`/households/${m.householdId}`}>{m.headName}</Link> : m.headName}
                </span>
                <span className="muted small">{t("orders.coop.joinedOn", { date: m.joinedOn })}</span>
                <span className="meta">
                  {m.village} · {m.householdCode}
                </span>
                {can.edit ? <LeaveForm membershipId={m.membershipId} headName={m.headName} /> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      <DataTablePager table={table} pageSizes={cooperativeMemberLinks.sizes} />
    </>
  );
}
