import path from "node:path";
import { z } from "zod";

// Checked once, at boot. DATABASE_URL absent means the embedded database (PGlite in DATA_DIR).
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(path.resolve(process.cwd(), "data")),
  SESSION_SECRET: z.string().min(16).optional(),
  /**
   * Behind a reverse proxy (nginx, a load balancer): believe its X-Forwarded-Proto/Host/For. Read by
   * server.js, which otherwise strips those headers, so a client cannot claim another address or origin.
   */
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  /** Seed demo data into an empty embedded database on first start. */
  SEED_DEMO: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;
export function env(): Env {
  if (!cached) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${parsed.error.message}`);
    }
    cached = parsed.data;
  }
  return cached;
}

export function sessionSecret(): string {
  const secret = env().SESSION_SECRET;
  if (secret) return secret;
  if (env().NODE_ENV === "production" && env().DATABASE_URL) {
    throw new Error("SESSION_SECRET must be set in production against a PostgreSQL server");
  }
  // Embedded/demo default: fine on one machine; the README says to set one for real use.
  return "tingyuan-embedded-default-secret";
}
