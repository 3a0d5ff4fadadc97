import { Link } from "@remix-run/react";
import { useT } from "~/i18n";

/** A one-time password, shown once to the one who made it, to be handed to its user by word of mouth. */
export function OneTimePassword({ message, password, userId }: { message: string; password: string; userId: string }) {
  const t = useT();
  return (
    <div className="success" role="status" data-testid="one-time-password">
      <p>{message}</p>
      <p>
        {t("users.otp")} <code className="otp">{password}</code>
      </p>
      <p className="small">{t("users.otpHint")}</p>
      <p className="small">
        <Link to={`/admin/users/${userId}`}>{t("users.editTitle")} →</Link>
      </p>
    </div>
  );
}
