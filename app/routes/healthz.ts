import { sql } from "drizzle-orm";
import { db } from "~/utils/db.server";

const TIMEOUT_MS = 3000;

export async function loader() {
  try {
    await Promise.race([
      db().then((d) => d.execute(sql`select 1`)),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS)),
    ]);
    return Response.json({ status: "ok", db: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    console.error("[healthz] database check failed", error);
    return Response.json(
      { status: "error", db: "unreachable" },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
