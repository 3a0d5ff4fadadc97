// Each integration test file gets its own fresh database, installed as the app's database.
import { afterAll } from "vitest";
import { useDatabaseForTests } from "~/utils/db.server";
import { freshDatabase } from "./test-db";

const database = await freshDatabase();
useDatabaseForTests(database);

afterAll(async () => {
  await database.close();
});
