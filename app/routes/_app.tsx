import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AppShell } from "~/components/layout";
import { requireUser } from "~/http/auth.server";
import { OutboxStatus } from "~/components/outbox-status";
import { useOfflineSession } from "~/offline/session";
import { skipRevalidationWhenQueued } from "~/offline/queued";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user: { id: user.id, displayName: user.displayName, role: user.role, scopeName: user.scopeName } };
}

export const shouldRevalidate = skipRevalidationWhenQueued;

export default function AppLayout() {
  const { user } = useLoaderData<typeof loader>();
  useOfflineSession(user);
  return (
    <AppShell user={user}>
      {user.role === "cadre" ? <OutboxStatus userId={user.id} /> : null}
      <Outlet />
    </AppShell>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
