import { useLocation } from "@remix-run/react";
import { useT } from "~/i18n";

/** Download links for the list on screen: the same filters, every page, as CSV or XLSX. */
export function ExportLinks({ path }: { path?: string }) {
  const t = useT();
  const location = useLocation();
  const href = (format: "csv" | "xlsx") => {
    const params = new URLSearchParams(location.search);
    params.delete("page");
    params.set("format", format);
    return `${path ?? location.pathname}?${params.toString()}`;
  };
  return (
    <p className="export-links">
      <span>{t("exports.label")}</span>{" "}
      <a href={href("xlsx")} download>
        {t("exports.xlsx")}
      </a>{" "}
      <a href={href("csv")} download>
        {t("exports.csv")}
      </a>
    </p>
  );
}
