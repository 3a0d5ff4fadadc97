// A cadre opens pages on a cheap phone over a slow network: each of their pages ships at most 120 KiB of
// gzipped JavaScript (docs/performance.md, "Light pages (phone)"). Reads the last build, as the
// integration tests do, and checks that zod, both dictionaries and the charts stay out of the browser.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { CADRE_BUDGET, CADRE_ROUTES, javascriptTable, readManifest } from "../../scripts/js-size";

test("every cadre page is within its JavaScript budget", () => {
  const rows = javascriptTable();
  expect(rows.filter((r) => r.cadre).map((r) => r.route)).toHaveLength(CADRE_ROUTES.size);
  expect(rows.filter((r) => r.over).map((r) => `${r.route} ${(r.gzip / 1024).toFixed(1)} KiB`)).toEqual([]);
  for (const r of rows.filter((row) => row.cadre)) expect(r.gzip).toBeLessThanOrEqual(CADRE_BUDGET);
});

test("no browser bundle carries zod, the other language's dictionary or echarts", () => {
  const manifest = readManifest();
  const files = new Set<string>([manifest.entry.module, ...manifest.entry.imports]);
  for (const r of Object.values(manifest.routes)) [r.module, ...(r.imports ?? [])].forEach((f) => files.add(f));
  for (const file of files) {
    const text = fs.readFileSync(path.join("public", file), "utf8");
    expect(text, `${file} holds zod`).not.toMatch(/\$ZodType|_zod\b/);
    // a key's text in each language: neither dictionary is in the scripts
    expect(text, `${file} holds a dictionary`).not.toMatch(/"?app\.tagline"?:/);
    expect(text, `${file} holds echarts`).not.toMatch(/echarts/i);
  }
});
