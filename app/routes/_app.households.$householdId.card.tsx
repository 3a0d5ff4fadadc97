// The household aid card (明白卡): one A4 sheet, portrait, posted on the wall of the home.
// On screen it is a paper sheet with a small toolbar; in print only the sheet is left.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { HouseholdParamsSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { metaTranslator, type Translate, useLocale, useT } from "~/i18n";
import { getHouseholdCard, qrCodeSvg } from "~/models/card.server";
import cardStyles from "~/styles/card.css";
import { requireUser } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { fenToYuan, sqmToMu } from "~/utils/units";
import { animalLabel, causeLabel, cropLabel } from "~/utils/reference";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cardStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [{ title: data ? t("card.metaTitle", { head: data.card.household.headName }) : t("app.name") }];
};

/** The first value of a header a proxy may have appended to ("https, http"). */
function firstHeaderValue(request: Request, name: string) {
  return request.headers.get(name)?.split(",")[0]?.trim() || null;
}

/** The absolute address of the household page, as the browser reached us (behind a proxy too). */
function householdPageUrl(request: Request, householdId: string) {
  const url = new URL(request.url);
  const proto = firstHeaderValue(request, "X-Forwarded-Proto");
  const host = firstHeaderValue(request, "X-Forwarded-Host");
  const scheme = proto === "http" || proto === "https" ? proto : url.protocol.slice(0, -1);
  const authority = host && /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(host) ? host : url.host;
  return new URL(`/households/${householdId}`, `${scheme}://${authority}`).toString();
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const parsed = HouseholdParamsSchema.safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const year = currentYear();
  const card = await getHouseholdCard({ id: parsed.data.householdId, scope: user.scope, year });
  if (!card) throw new Response("Not found", { status: 404 });
  const qrSvg = await qrCodeSvg(householdPageUrl(request, card.household.id));
  return { card, year, today: todayISO(), qrSvg };
}

/** Whole yuan without ".00", cents when there are any. */
function yuan(fen: number) {
  return fenToYuan(fen).replace(/\.00$/, "");
}

function dateParts(iso: string) {
  const [y, mm, dd] = iso.slice(0, 10).split("-");
  return { y, mm, dd, m: Number(mm), d: Number(dd) };
}
const longDate = (t: Translate, iso: string) => t("card.date", dateParts(iso));
const shortDate = (t: Translate, iso: string) => t("card.monthDay", dateParts(iso));

function PrintButton() {
  const t = useT();
  // rendered once the page runs scripts: without JavaScript the browser's own Print is the way
  const [canPrint, setCanPrint] = useState(false);
  useEffect(() => setCanPrint(true), []);
  if (!canPrint) return null;
  return (
    <button type="button" className="button" onClick={() => window.print()}>
      {t("card.print")}
    </button>
  );
}

export default function HouseholdCardPage() {
  const { card, year, today, qrSvg } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const { household: h, plan } = card;
  const fundsTotal = card.fundAllocations.reduce((sum, f) => sum + f.amountFen, 0);

  return (
    <>
      <div className="card-toolbar no-print">
        <Link to={`/households/${h.id}`} className="button secondary">
          {t("card.back")}
        </Link>
        <PrintButton />
        <p className="small muted">{t("card.printHint")}</p>
      </div>

      <article className="aid-card" aria-labelledby="aid-card-title">
        <header className="ac-head">
          <div className="ac-titles">
            <p className="ac-place">
              {h.township} · {h.village}
            </p>
            <h1 id="aid-card-title">{t("card.title", { year })}</h1>
            <p className="ac-who">{t("card.household", { head: h.headName })}</p>
          </div>
          <div className="ac-keys">
            {plan ? (
              <div className="ac-key">
                <span>{t("card.incomeTarget")}</span>
                <strong>{t("unit.yuan", { value: yuan(plan.incomeTargetFen) })}</strong>
              </div>
            ) : null}
            <CadreBox cadre={card.cadre} />
          </div>
          <figure className="ac-qr" data-testid="card-qr">
            <div
              className="ac-qr-img"
              role="img"
              aria-label={t("card.qrLabel")}
              // our own SVG, drawn by the qrcode library on the server from the household's address
              dangerouslySetInnerHTML={{ __html: qrSvg }}
            />
            <figcaption>{t("card.qrCaption")}</figcaption>
          </figure>
        </header>

        <section className="ac-sec" aria-labelledby="ac-basics">
          <h2 id="ac-basics">{t("card.section.basics")}</h2>
          <dl className="ac-facts">
            <div>
              <dt>{t("col.head")}</dt>
              <dd>{h.headName}</dd>
            </div>
            <div>
              <dt>{t("col.code")}</dt>
              <dd>{h.code}</dd>
            </div>
            <div>
              <dt>{t("col.village")}</dt>
              <dd>
                {h.township} {h.village}
              </dd>
            </div>
            <div>
              <dt>{t("household.phone")}</dt>
              <dd>{h.phone ?? "—"}</dd>
            </div>
            <div>
              <dt>{t("col.status")}</dt>
              <dd>{t(`povertyStatus.${h.povertyStatus}`)}</dd>
            </div>
            {h.povertyCause ? (
              <div>
                <dt>{t("col.cause")}</dt>
                <dd>{causeLabel(h, locale)}</dd>
              </div>
            ) : null}
            <div className="ac-wide">
              <dt>{t("household.address")}</dt>
              <dd>{h.address ?? "—"}</dd>
            </div>
            <div>
              <dt>{t("col.planStatus")}</dt>
              <dd>{t(`planStatus.${plan?.status ?? "none"}`)}</dd>
            </div>
          </dl>
        </section>

        <section className="ac-sec" aria-labelledby="ac-members">
          <h2 id="ac-members">
            {t("household.members")} <small>{t("card.membersCount", { count: card.members.length })}</small>
          </h2>
          <div className="ac-table-wrap">
            <table className="ac-table">
              <thead>
                <tr>
                  <th scope="col">{t("col.name")}</th>
                  <th scope="col">{t("col.relation")}</th>
                  <th scope="col">{t("col.sex")}</th>
                  <th scope="col">{t("col.idNumber")}</th>
                  {card.careDetails ? <th scope="col">{t("col.health")}</th> : null}
                  <th scope="col">{t("col.labour")}</th>
                </tr>
              </thead>
              <tbody>
                {card.members.map((m) => (
                  <tr key={m.id}>
                    <td className="ac-nowrap">{m.name}</td>
                    <td>{t(`relation.${m.relation}`)}</td>
                    <td>{t(`sex.${m.sex}`)}</td>
                    <td className="ac-id">{m.idNumber}</td>
                    {card.careDetails ? <td>{m.health ? t(`health.${m.health}`) : "—"}</td> : null}
                    <td>{t(`labour.${m.labourAbility}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>

        {plan ? (
          <>
            <div className="ac-cols3">
              <section className="ac-sec" aria-labelledby="ac-courtyard">
                <h2 id="ac-courtyard">{t("card.section.courtyard")}</h2>
                <table className="ac-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("card.zone")}</th>
                      <th scope="col" className="num">
                        {t("card.sqm")}
                      </th>
                      <th scope="col" className="num">
                        {t("card.mu")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {(
                      [
                        ["courtyard", plan.courtyardArea],
                        ["living", plan.livingArea],
                        ["planting", plan.plantingArea],
                        ["raising", plan.raisingArea],
                      ] as const
                    ).map(([zone, area]) => (
                      <tr key={zone} className={zone === "courtyard" ? "ac-total" : undefined}>
                        <th scope="row">{t(`card.zone.${zone}`)}</th>
                        <td className="num">{area}</td>
                        <td className="num">{sqmToMu(area)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              <section className="ac-sec" aria-labelledby="ac-planting">
                <h2 id="ac-planting">{t("card.section.planting")}</h2>
                {plan.plantingItems.length ? (
                  <table className="ac-table">
                    <thead>
                      <tr>
                        <th scope="col">{t("col.crop")}</th>
                        <th scope="col" className="num">
                          {t("card.sqm")}
                        </th>
                        <th scope="col" className="num">
                          {t("card.mu")}
                        </th>
                        <th scope="col" className="num">
                          {t("card.expectedYield")}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {plan.plantingItems.map((p, i) => (
                        <tr key={`${p.cropCode}-${i}`}>
                          <td>{cropLabel(p, locale)}</td>
                          <td className="num">{p.area}</td>
                          <td className="num">{sqmToMu(p.area)}</td>
                          <td className="num">{p.expectedYieldKg}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <p className="ac-none">{t("card.noPlanting")}</p>
                )}
              </section>
              <section className="ac-sec" aria-labelledby="ac-raising">
                <h2 id="ac-raising">{t("card.section.raising")}</h2>
                {plan.raisingItems.length ? (
                  <table className="ac-table">
                    <thead>
                      <tr>
                        <th scope="col">{t("card.animal")}</th>
                        <th scope="col" className="num">
                          {t("card.headCount")}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {plan.raisingItems.map((r, i) => (
                        <tr key={`${r.animalCode}-${i}`}>
                          <td>{animalLabel(r, locale)}</td>
                          <td className="num">{r.headCount}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <p className="ac-none">{t("card.noRaising")}</p>
                )}
              </section>
            </div>
            <section className="ac-sec" aria-labelledby="ac-measures">
              <h2 id="ac-measures">{t("card.section.measures")}</h2>
              {plan.measures.length ? (
                <ol className="ac-measures">
                  {plan.measures.map((m, i) => (
                    <li key={i}>{m}</li>
                  ))}
                </ol>
              ) : (
                <p className="ac-none">{t("card.noMeasures")}</p>
              )}
            </section>
          </>
        ) : (
          <p className="ac-noplan">{t("card.noPlan", { year })}</p>
        )}

        <section className="ac-sec" aria-labelledby="ac-projects">
          <h2 id="ac-projects">{t("card.section.projects")}</h2>
          {card.fundAllocations.length ? (
            <table className="ac-table">
              <thead>
                <tr>
                  <th scope="col">{t("card.project")}</th>
                  <th scope="col">{t("card.support")}</th>
                  <th scope="col" className="num">
                    {t("card.amount")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {card.fundAllocations.map((f) => (
                  <tr key={f.id}>
                    <td>{f.project}</td>
                    <td>
                      {f.kind === "in_kind" && f.item
                        ? t("card.inKind", { item: f.item, quantity: f.quantity ?? "" })
                        : t("card.cash")}
                    </td>
                    <td className="num">{yuan(f.amountFen)}</td>
                  </tr>
                ))}
              </tbody>
              {card.fundAllocations.length > 1 ? (
                <tfoot>
                  <tr className="ac-total">
                    <th scope="row" colSpan={2}>
                      {t("card.fundsTotal")}
                    </th>
                    <td className="num">{yuan(fundsTotal)}</td>
                  </tr>
                </tfoot>
              ) : null}
            </table>
          ) : (
            <p className="ac-none">{t("card.noProjects")}</p>
          )}
        </section>

        <section className="ac-sec" aria-labelledby="ac-coop">
          <h2 id="ac-coop">{t("card.section.cooperative")}</h2>
          {card.cooperatives.length ? (
            <ul className="ac-coops">
              {card.cooperatives.map((c) => (
                <li key={c.id}>
                  <strong>{c.name}</strong>{" "}
                  <span className="ac-muted">{t("card.joinedOn", { date: longDate(t, c.joinedOn) })}</span>
                  {c.brokers.length ? (
                    <span>
                      {" · "}
                      {t("card.brokers", {
                        brokers: c.brokers
                          .map((b) => (b.phone ? `${b.name} ${b.phone}` : b.name))
                          .join(t("card.listSeparator")),
                      })}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="ac-none">{t("card.noCooperative")}</p>
          )}
          {card.orders.length ? (
            <div className="ac-table-wrap">
              <table className="ac-table">
                <thead>
                  <tr>
                    <th scope="col">{t("col.crop")}</th>
                    <th scope="col">{t("col.buyer")}</th>
                    <th scope="col">{t("col.deliveryWindow")}</th>
                    <th scope="col" className="num">
                      {t("card.orderQuantity")}
                    </th>
                    <th scope="col" className="num">
                      {t("col.unitPrice")}
                    </th>
                    <th scope="col" className="num">
                      {t("card.deliveredKg")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {card.orders.map((o) => (
                    <tr key={o.id}>
                      <td className="ac-nowrap">{cropLabel(o, locale)}</td>
                      <td>{o.buyer}</td>
                      <td>
                        {t("card.window", { from: shortDate(t, o.deliveryStart), to: shortDate(t, o.deliveryEnd) })}
                      </td>
                      <td className="num">{o.quantityKg}</td>
                      <td className="num">{fenToYuan(o.unitPriceFen)}</td>
                      <td className="num">{o.deliveredKg}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="ac-none">{t("card.noOrders")}</p>
          )}
        </section>

        <footer className="ac-foot">
          <span>{t("card.printedOn", { date: longDate(t, today) })}</span>
          <span>{h.code}</span>
        </footer>
      </article>
    </>
  );
}

function CadreBox({ cadre }: { cadre: { name: string; phone: string | null } | null }) {
  const t = useT();
  return (
    <div className="ac-key">
      <span>{t("card.section.cadre")}</span>
      {cadre ? (
        <strong>
          {cadre.name}
          {cadre.phone ? <span className="ac-phone">{t("card.cadrePhone", { phone: cadre.phone })}</span> : null}
        </strong>
      ) : (
        <strong>{t("household.noCadre")}</strong>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
