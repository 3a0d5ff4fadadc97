import { Form, Link } from "@remix-run/react";
import { useT } from "~/i18n";
import { pointsUrl } from "./format";
import type { LoaderData } from "./route";

/** Month by month, or straight to one: links and a GET form, so it works without JavaScript. */
export function MonthPicker({ data }: { data: LoaderData }) {
  const t = useT();
  const cadre = data.view === "card" && data.can.manage ? data.card.cadre.id : null;
  return (
    <nav className="month-nav" aria-label={t("points.month")}>
      <Link className="month-step" to={pointsUrl(data.prev, cadre)} rel="prev">
        {t("points.prevMonth")}
      </Link>
      <Form method="get" className="month-form">
        {cadre ? <input type="hidden" name="cadre" value={cadre} /> : null}
        <label htmlFor="month" className="visually-hidden">
          {t("points.month")}
        </label>
        <input id="month" type="month" name="month" defaultValue={data.month} max={data.current} key={data.month} />
        <button type="submit" className="button secondary small-button">
          {t("points.showMonth")}
        </button>
      </Form>
      {data.next ? (
        <Link className="month-step" to={pointsUrl(data.next, cadre)} rel="next">
          {t("points.nextMonth")}
        </Link>
      ) : (
        <span className="month-step" aria-hidden="true" />
      )}
    </nav>
  );
}
