import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useT } from "~/i18n";
import type { action, loader } from "./route";

/** The members, each ID number masked; a role that may reveal one asks for it (the reveal is audited). */
export function Members() {
  const { household: h, can } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const revealed = actionData && "revealed" in actionData ? actionData.revealed : null;
  return (
    <>
      <div className="section-head">
        <h2>{t("household.members")}</h2>
        {can.editMembers ? (
          <Link className="small" to={`/households/${h.id}/members/new`}>
            + {t("record.addMember")}
          </Link>
        ) : null}
      </div>
      <ul className="rows" data-testid="members">
        {h.members.map((m) => (
          <li key={m.id} className="member">
            <div className="row static">
              <span className="title">
                {m.name} <span className="badge">{t(`relation.${m.relation}`)}</span>
              </span>
              {can.editMembers ? (
                <Link className="small" to={`/households/${h.id}/members/${m.id}`}>
                  {t("common.edit")}
                </Link>
              ) : (
                <span />
              )}
              <span className="meta">
                <span data-testid="id-number">{revealed?.memberId === m.id ? revealed.idNumber : m.idNumber}</span>
                {can.reveal && revealed?.memberId !== m.id ? (
                  <Form method="post" className="inline-form" preventScrollReset>
                    <input type="hidden" name="intent" value="reveal" />
                    <input type="hidden" name="memberId" value={m.id} />
                    <button type="submit" className="linklike small">
                      {t("record.reveal")}
                    </button>
                  </Form>
                ) : null}
                {" · "}
                {t(`sex.${m.sex}`)} · {m.birthDate}
                {m.health ? ` · ${t(`health.${m.health}`)}` : null} · {t(`labour.${m.labourAbility}`)}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
