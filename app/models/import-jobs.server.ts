// Registry import, the jobs: two steps, each a background job in this process (import_jobs). A dry run
// parses and checks every row and keeps the bad rows (up to ERROR_CAP); a commit runs the checks again and
// writes (import-commit.server.ts).
// - jobs run one at a time per process, after the request that queued them has answered;
// - the upload is kept with its dry run, so a commit reads the very file that dry run checked;
// - a job cut off by a restart or a crash is failed as interrupted, never left "running".

import zlib from "node:zlib";
import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { type DbOrTx, queryRows } from "../../db/client";
import { importJobs } from "../../db/schema";
import { can, type Role } from "~/permissions";
import { db, startDatabase } from "~/utils/db.server";
import { stripControl } from "~/utils/text";
import { NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { assertCan, scopeOf, type Scope } from "./scope.server";
import {
  ERROR_CAP,
  ImportFileError,
  checkUpload,
  parseSpreadsheet,
  type FileKind,
  type ParsedFile,
} from "./import-parse.server";
import { checkImport } from "./import-check.server";
import { commitImport, ImportRejected } from "./import-commit.server";

type Progress = { phase: string; done: number; total: number };
type RunnerState = {
  queue: string[];
  running: string | null;
  progress: Map<string, Progress>;
  idle: Promise<void>;
  recovered: Promise<void> | null;
};
const RUNNER = Symbol.for("tingyuan.importRunner");
function runner(): RunnerState {
  const g = globalThis as unknown as { [RUNNER]?: RunnerState };
  g[RUNNER] ??= { queue: [], running: null, progress: new Map(), idle: Promise.resolve(), recovered: null };
  return g[RUNNER]!;
}

/** A running job whose heartbeat is older than this was cut off (a restart, a crash). */
const STALE_AFTER_SECONDS = 60;

/**
 * Jobs left queued or running by a process that is gone are marked failed, once per process at first
 * use. The embedded database has one process by construction, so all of them; on PostgreSQL only those
 * whose heartbeat stopped, since another live process may be running its own.
 */
function recoverStaleJobs(): Promise<void> {
  const state = runner();
  state.recovered ??= (async () => {
    const database = await startDatabase();
    const d = database.db;
    await d
      .update(importJobs)
      .set({ status: "failed", fileError: "import.job.interrupted", finishedAt: new Date(), phase: null })
      .where(
        and(
          inArray(importJobs.status, ["queued", "running"]),
          database.kind === "pglite"
            ? undefined
            : sql`${importJobs.heartbeatAt} < now() - make_interval(secs => ${STALE_AFTER_SECONDS})`,
        ),
      );
  })().catch((error) => {
    state.recovered = null;
    throw error;
  });
  return state.recovered;
}

function jobScope(scope: Scope) {
  assertCan(scope, "household.import");
  return { countyId: scope.countyId, townshipId: scope.role === "official" ? scope.townshipId : null };
}

/** Stores the upload and queues its dry run. The file is checked for kind and integrity first. */
export async function createImportJob({ scope, file }: { scope: Scope; file: { name: string; bytes: Uint8Array } }) {
  const { countyId, townshipId } = jobScope(scope);
  const kind = checkUpload({ name: file.name, size: file.bytes.byteLength, bytes: file.bytes });
  await recoverStaleJobs();
  const d = await db();
  const [job] = await d
    .insert(importJobs)
    .values({
      countyId,
      townshipId,
      createdBy: scope.userId,
      kind: "dry_run",
      // a name is what the browser says; PostgreSQL refuses a NUL in text, and no name needs a control character
      fileName: stripControl(file.name).slice(0, 200),
      fileType: kind,
      fileSize: file.bytes.byteLength,
      file: storeFile(file.bytes),
    })
    .returning({ id: importJobs.id });
  enqueueImportJob(job.id);
  return job;
}

/**
 * The upload is kept gzipped, and travels as base64 that the server decodes: PGlite binds a bytea
 * parameter byte by byte (~2 MB/s), base64 text it takes at once (an 11 MB CSV: 5 s → 0.2 s).
 */
function storeFile(bytes: Uint8Array): SQL<Buffer> {
  const gz = zlib.gzipSync(bytes, { level: 1 });
  return sql<Buffer>`decode(${gz.toString("base64")}, 'base64')`;
}
async function loadFile(d: DbOrTx, jobId: string): Promise<Buffer | null> {
  const [row] = await queryRows<{ file: string | null }>(
    d,
    sql`select encode(${importJobs.file}, 'base64') as file from ${importJobs} where ${importJobs.id} = ${jobId}`,
  );
  // Node's base64 decoder skips the line breaks PostgreSQL puts in
  return row?.file ? zlib.gunzipSync(Buffer.from(row.file, "base64")) : null;
}

/** Queues the commit of a clean dry run of the caller's (one commit per dry run). */
export async function startImportCommit({ scope, dryRunId }: { scope: Scope; dryRunId: string }) {
  const { countyId, townshipId } = jobScope(scope);
  await recoverStaleJobs();
  const d = await db();
  const job = await d.transaction(async (tx) => {
    const [source] = await tx
      .select({
        id: importJobs.id,
        status: importJobs.status,
        errorCount: importJobs.errorCount,
        fileName: importJobs.fileName,
        fileType: importJobs.fileType,
        fileSize: importJobs.fileSize,
        kind: importJobs.kind,
      })
      .from(importJobs)
      .where(and(eq(importJobs.id, dryRunId), eq(importJobs.createdBy, scope.userId), eq(importJobs.kind, "dry_run")))
      .for("update");
    if (!source) throw new NotFoundError("import");
    if (source.status !== "succeeded" || source.errorCount > 0) throw ValidationError.form("import.commit.notClean");
    const [existing] = await tx
      .select({ id: importJobs.id })
      .from(importJobs)
      .where(and(eq(importJobs.sourceJobId, dryRunId), inArray(importJobs.status, ["queued", "running", "succeeded"])));
    if (existing) return existing;
    const [row] = await tx
      .insert(importJobs)
      .values({
        countyId,
        townshipId,
        createdBy: scope.userId,
        kind: "commit",
        sourceJobId: source.id,
        fileName: source.fileName,
        fileType: source.fileType,
        fileSize: source.fileSize,
      })
      .returning({ id: importJobs.id });
    return { ...row, fresh: true };
  });
  if ("fresh" in job) enqueueImportJob(job.id);
  return { id: job.id };
}

const JOB_VIEW = {
  id: importJobs.id,
  kind: importJobs.kind,
  status: importJobs.status,
  sourceJobId: importJobs.sourceJobId,
  fileName: importJobs.fileName,
  fileType: importJobs.fileType,
  fileSize: importJobs.fileSize,
  phase: importJobs.phase,
  progressDone: importJobs.progressDone,
  progressTotal: importJobs.progressTotal,
  errors: importJobs.errors,
  errorCount: importJobs.errorCount,
  fileError: importJobs.fileError,
  summary: importJobs.summary,
  createdAt: importJobs.createdAt,
  startedAt: importJobs.startedAt,
  finishedAt: importJobs.finishedAt,
  heartbeatAt: importJobs.heartbeatAt,
};

/** A job of the caller's, with live progress if this process is running it; null if not theirs. */
export async function getImportJob({ scope, id }: { scope: Scope; id: string }) {
  jobScope(scope);
  await recoverStaleJobs();
  const d = await db();
  const [job] = await d
    .select(JOB_VIEW)
    .from(importJobs)
    .where(and(eq(importJobs.id, id), eq(importJobs.createdBy, scope.userId)));
  if (!job) return null;
  const state = runner();
  const live = state.progress.get(job.id);
  const active = job.status === "queued" || job.status === "running";
  if (
    active &&
    !live &&
    !state.queue.includes(job.id) &&
    Date.now() - job.heartbeatAt.getTime() > STALE_AFTER_SECONDS * 1000
  ) {
    // no process is running it any more
    await d
      .update(importJobs)
      .set({ status: "failed", fileError: "import.job.interrupted", finishedAt: new Date(), phase: null })
      .where(and(eq(importJobs.id, job.id), inArray(importJobs.status, ["queued", "running"])));
    return { ...job, status: "failed" as const, fileError: "import.job.interrupted" };
  }
  const [commit] =
    job.kind === "dry_run"
      ? await d
          .select({ id: importJobs.id, status: importJobs.status })
          .from(importJobs)
          .where(eq(importJobs.sourceJobId, job.id))
          .orderBy(desc(importJobs.createdAt))
          .limit(1)
      : [];
  return {
    ...job,
    ...(active && live ? { phase: live.phase, progressDone: live.done, progressTotal: live.total } : {}),
    commit: commit ?? null,
  };
}

/** The caller's latest jobs, newest first. */
export async function listImportJobs({ scope, limit = 10 }: { scope: Scope; limit?: number }) {
  jobScope(scope);
  const d = await db();
  return d
    .select({
      id: importJobs.id,
      kind: importJobs.kind,
      status: importJobs.status,
      fileName: importJobs.fileName,
      errorCount: importJobs.errorCount,
      summary: importJobs.summary,
      createdAt: importJobs.createdAt,
    })
    .from(importJobs)
    .where(eq(importJobs.createdBy, scope.userId))
    .orderBy(desc(importJobs.createdAt))
    .limit(limit);
}

/** Queues a job to run in this process after the current request has answered. */
export function enqueueImportJob(id: string) {
  const state = runner();
  state.queue.push(id);
  if (state.running === null && state.queue.length === 1) {
    state.idle = new Promise<void>((resolve) => setImmediate(() => void drain().finally(resolve)));
  }
}

/**
 * A job that crashed (most often: its database connection was cut) is failed as interrupted, so the
 * page offers to upload again instead of showing "running" until the stale rule notices. The database
 * may still be away: a few tries over ~15 s, then the stale rule in getImportJob is the fallback.
 */
async function markInterrupted(id: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const d = await db();
      await d
        .update(importJobs)
        .set({ status: "failed", fileError: "import.job.interrupted", finishedAt: new Date(), phase: null })
        .where(and(eq(importJobs.id, id), inArray(importJobs.status, ["queued", "running"])));
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 1000 * 2 ** Math.min(attempt, 3)));
    }
  }
}

/** Resolves when this process has no import job left to run (tests, shutdown). */
export async function importJobsIdle() {
  const state = runner();
  while (state.queue.length || state.running) await state.idle;
}

async function drain() {
  const state = runner();
  while (state.queue.length) {
    const id = state.queue.shift()!;
    state.running = id;
    try {
      await runImportJob(id);
    } catch (error) {
      console.error(`[import] job ${id} crashed`, error);
      await markInterrupted(id);
    } finally {
      state.progress.delete(id);
      state.running = null;
    }
  }
}

/** Runs one job: the dry run checks and reports; the commit checks again and writes. */
export async function runImportJob(id: string) {
  const database = await startDatabase();
  const d = database.db;
  const state = runner();
  const [job] = await d
    .select({
      id: importJobs.id,
      kind: importJobs.kind,
      status: importJobs.status,
      sourceJobId: importJobs.sourceJobId,
      createdBy: importJobs.createdBy,
      fileName: importJobs.fileName,
      fileType: importJobs.fileType,
    })
    .from(importJobs)
    .where(eq(importJobs.id, id));
  if (!job || job.status !== "queued") return;
  const file = await loadFile(d, job.sourceJobId ?? job.id);
  const [creator] = await queryRows<{
    id: string;
    role: Role;
    county_id: string;
    township_id: string | null;
    cooperative_id: string | null;
  }>(d, sql`select id, role, county_id, township_id, cooperative_id from users where id = ${job.createdBy} and active`);
  const started = Date.now();
  const set = (values: Partial<typeof importJobs.$inferInsert>) =>
    d
      .update(importJobs)
      .set({ ...values, heartbeatAt: new Date() })
      .where(eq(importJobs.id, id));
  // a dry run that fails leaves nothing to commit, so its file goes too
  const fail = (values: Partial<typeof importJobs.$inferInsert>) =>
    set({
      status: "failed",
      phase: null,
      finishedAt: new Date(),
      ...(job.kind === "dry_run" ? { file: null } : {}),
      ...values,
    });
  if (!creator || !can(creator.role, "household.import") || !file) {
    await fail({ fileError: "import.job.interrupted" });
    return;
  }
  const scope = scopeOf({
    id: creator.id,
    role: creator.role,
    countyId: creator.county_id,
    townshipId: creator.township_id,
    cooperativeId: creator.cooperative_id,
  });

  const progress = (phase: string, done: number, total: number) => state.progress.set(id, { phase, done, total });
  let lastWrite = 0;
  // progress goes to the row too, but never from inside the commit's transaction on the embedded
  // database (one connection: it would wait for the transaction that waits for it)
  const persist = async (phase: string, done: number, total: number, force = false) => {
    progress(phase, done, total);
    if (!force && Date.now() - lastWrite < 500) return;
    lastWrite = Date.now();
    await set({ phase, progressDone: done, progressTotal: total });
  };

  await set({ status: "running", startedAt: new Date(), phase: "parse", progressDone: 0, progressTotal: 0 });
  progress("parse", 0, 0);
  let parsed: ParsedFile;
  try {
    parsed = await parseSpreadsheet(file, job.fileType as FileKind);
  } catch (error) {
    if (error instanceof ImportFileError) {
      await fail({ fileError: error.messageKey });
      return;
    }
    throw error;
  }
  const total = parsed.rows.length;

  if (job.kind === "dry_run") {
    await persist("validate", 0, total, true);
    const result = await checkImport(d, scope, parsed, { onProgress: (done) => persist("validate", done, total) });
    await set({
      status: "succeeded",
      phase: null,
      progressDone: total,
      progressTotal: total,
      errors: result.errors.slice(0, ERROR_CAP),
      errorCount: result.errors.length,
      summary: { ...result.summary, elapsedMs: Date.now() - started },
      finishedAt: new Date(),
      // a file with errors can never be committed: its full ID numbers are not kept
      ...(result.errors.length ? { file: null } : {}),
    });
    return;
  }

  await persist("validate", 0, total, true);
  try {
    const summary = await commitImport({
      scope,
      parsed,
      jobId: id,
      fileName: job.fileName,
      onProgress: async (p) => {
        progress(p.phase, p.done, p.total);
        // PostgreSQL: the row is written on another pooled connection, so a reload sees it
        if (database.kind === "postgres") await persist(p.phase, p.done, p.total);
      },
    });
    await set({
      status: "succeeded",
      phase: null,
      progressDone: total,
      progressTotal: total,
      summary: { ...summary, elapsedMs: Date.now() - started },
      finishedAt: new Date(),
    });
    // the registry has the data now: the file (full ID numbers) is not kept longer than needed
    await d.update(importJobs).set({ file: null }).where(eq(importJobs.id, job.sourceJobId!));
  } catch (error) {
    if (error instanceof ImportRejected) {
      await fail({
        fileError: "import.commit.rejected",
        errors: error.result.errors.slice(0, ERROR_CAP),
        errorCount: error.result.errors.length,
        summary: error.result.summary,
      });
      return;
    }
    if (isUniqueViolation(error, "members_id_number_uq")) {
      await fail({ fileError: "import.commit.raced" });
      return;
    }
    console.error(`[import] commit ${id} failed`, error);
    await fail({ fileError: "import.commit.failed" });
  }
}

export type ImportJobView = NonNullable<Awaited<ReturnType<typeof getImportJob>>>;
