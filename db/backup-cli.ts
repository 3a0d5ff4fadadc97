// npm run db:backup -- [--out FILE]           a backup of the configured database into one file
// npm run db:restore -- FILE [--force]         that file back into the configured database, then migrate
// With DATABASE_URL: that PostgreSQL database (pg_dump / pg_restore / psql of postgresql-client). Without:
// the embedded PGlite in $DATA_DIR/pglite, which no app or script may have open meanwhile. Decision 026.
import path from "node:path";
import {
  BackupRefusal,
  backup,
  configuredTarget,
  describeLevel,
  describeTarget,
  restore,
  type BackupHeader,
} from "./backup";

const USAGE = "usage: npm run db:backup -- [--out FILE]\n       npm run db:restore -- FILE [--force]";

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(USAGE);
  process.exit(2);
}

type Command = { command: "backup"; out?: string } | { command: "restore"; file: string; force: boolean };

function parseArgs([command, ...argv]: string[]): Command {
  if (command === "backup") {
    let out: string | undefined;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg === "--out" || arg.startsWith("--out=")) {
        out = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i];
        if (!out) usage("--out needs a file name");
      } else if (arg === "--help" || arg === "-h") usage();
      else usage(`unknown argument "${arg}"`);
    }
    return { command, out };
  }
  if (command === "restore") {
    let file: string | undefined;
    let force = false;
    for (const arg of argv) {
      if (arg === "--force") force = true;
      else if (arg === "--help" || arg === "-h") usage();
      else if (arg.startsWith("-")) usage(`unknown argument "${arg}"`);
      else if (file) usage(`one backup file at a time, got "${file}" and "${arg}"`);
      else file = arg;
    }
    if (!file) usage("which backup file? npm run db:restore -- FILE");
    return { command, file, force };
  }
  usage();
}

function defaultOut(kind: string) {
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return path.join("backups", `tingyuan-${kind}-${stamp}.backup`);
}

function printHeader(header: BackupHeader) {
  console.log(`  kind       ${header.kind} (${header.engine.split(" on ")[0]})`);
  console.log(`  taken      ${header.createdAt} from ${header.database}`);
  console.log(`  migration  ${describeLevel(header.migration)}`);
  console.log(
    `  size       ${(header.payload.bytes / 1024 / 1024).toFixed(1)} MB, sha256 ${header.payload.sha256.slice(0, 16)}…`,
  );
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const target = configuredTarget();
  const where = describeTarget(target);
  try {
    if (args.command === "backup") {
      const out = args.out ?? defaultOut(target.kind);
      const header = await backup(target, out);
      console.log(`Backed up ${where} to ${out}`);
      printHeader(header);
      console.table(header.rows);
    } else {
      console.log(`Restoring ${args.file} into ${where}…`);
      const report = await restore(target, args.file, { force: args.force });
      console.log(`Restored into ${report.where}${report.replaced ? ", replacing what it held" : ""}:`);
      printHeader(report.header);
      console.table(
        Object.fromEntries(
          Object.entries(report.header.rows).map(([t, n]) => [t, { "in backup": n, restored: report.rows[t] }]),
        ),
      );
      console.log(
        report.levelAfter.createdAt === report.levelBefore.createdAt
          ? `Schema up to date: ${describeLevel(report.levelAfter)}.`
          : `Migrated from ${describeLevel(report.levelBefore)} to ${describeLevel(report.levelAfter)}.`,
      );
      if (report.previous)
        console.log(`The database it replaced is kept in ${report.previous}; delete it when satisfied.`);
    }
  } catch (error) {
    if (error instanceof BackupRefusal) console.error(error.message);
    else {
      console.error(
        `${args.command === "backup" ? "Backup" : "Restore"} failed:`,
        error instanceof Error ? error.message : error,
      );
      if (error instanceof Error && error.cause) console.error("cause:", error.cause);
    }
    process.exitCode = 1;
  }
}

await main();
