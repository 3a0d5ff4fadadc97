import { useT, type MessageKey } from "~/i18n";

const BADGE: Record<string, string> = {
  draft: "badge",
  signed: "badge warn",
  delivering: "badge warn",
  fulfilled: "badge ok",
  cancelled: "badge bad",
};

/** An order's status (草稿 / 已签订 / 交售中 / 已完成 / 已取消) as a pill. */
export function OrderStatusBadge({ status, testId }: { status: string; testId?: string }) {
  const t = useT();
  return (
    <span className={BADGE[status] ?? "badge"} data-testid={testId}>
      {t(`orders.status.${status}` as MessageKey)}
    </span>
  );
}
