// npm run user:create -- --username NAME --role admin --county 230828 [--county-name 汤原县] [--name 显示名]
//                        [--township 230828101]
// Makes an account from a shell: the first administrator of a production database, which has none and no
// default password. The password is asked for on a terminal (not echoed) or read from stdin when piped:
//   printf '%s\n' "$PASSWORD" | npm run user:create -- --username admin --county 230828 --county-name 汤原县
// With DATABASE_URL: that PostgreSQL database; without: the embedded one in $DATA_DIR/pglite. The database is
// migrated first; demo data is never added by this command.
import { parseArgs } from "node:util";
import readline from "node:readline";

const USAGE =
  "usage: npm run user:create -- --username NAME [--role admin|official|cadre] --county CODE6 " +
  "[--county-name NAME] [--name DISPLAY_NAME] [--township CODE]";

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let data = "";
    for await (const chunk of process.stdin) data += chunk;
    return data.split(/\r?\n/)[0] ?? "";
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      // the prompt is written, what is typed is not
      const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(prompt)) write.call(rl, prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stdout.write("\n");
        resolve(answer);
      });
    });
  const first = await ask("Password (密码): ");
  const second = await ask("Again (再输一次): ");
  if (first !== second) fail("The two passwords differ. 两次输入的密码不一样。");
  return first;
}

async function main() {
  const { values } = parseArgs({
    options: {
      username: { type: "string" },
      role: { type: "string", default: "admin" },
      county: { type: "string" },
      "county-name": { type: "string" },
      name: { type: "string" },
      township: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) fail(USAGE);
  if (!values.username || !values.county) fail(USAGE);
  const role = values.role as "admin" | "official" | "cadre";
  if (!["admin", "official", "cadre"].includes(role))
    fail("--role is admin, official or cadre (a clerk needs a cooperative: create it in the app)");

  process.env.SEED_DEMO = "false";
  const password = await readPassword();
  const { createUserFromCommand } = await import("../app/models/users.server");
  const { ValidationError } = await import("../app/models/errors.server");
  const { startDatabase } = await import("../app/utils/db.server");
  const { translator } = await import("../app/i18n/dictionaries.server");
  const database = await startDatabase();
  try {
    const created = await createUserFromCommand({
      username: values.username,
      displayName: values.name ?? values.username,
      role,
      countyCode: values.county,
      countyName: values["county-name"],
      townshipCode: values.township,
      password,
    });
    console.log(`created ${role} "${created.username}" (${created.id}) · 已创建账号`);
  } catch (error) {
    if (error instanceof ValidationError) {
      const zh = translator("zh-CN");
      const en = translator("en");
      for (const [field, keys] of Object.entries(error.fieldErrors))
        for (const raw of keys) {
          const [key, vars] = raw.split("|");
          const values = vars ? JSON.parse(vars) : undefined;
          console.error(`${field}: ${zh(key as never, values)} · ${en(key as never, values)}`);
        }
      process.exitCode = 1;
    } else throw error;
  } finally {
    await database.close();
  }
}

await main();
