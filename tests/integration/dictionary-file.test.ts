// The reader's dictionary is a file of its own, not part of every page: the page names it, the file is kept
// for good under a name that changes with its words, and the pages a cadre or an official opens on the demo
// data stay light. The HTML is still drawn in the reader's language, English after the switch.
import { beforeAll, expect, test } from "vitest";
import { seedDemoIfEmpty } from "../../db/seed-demo";
import { type MessagesFile } from "~/i18n";
import { messagesFileOf, messagesUrl } from "~/i18n/dictionaries.server";
import { en } from "~/i18n/en";
import { zhCN } from "~/i18n/zh-CN";
import { db } from "~/utils/db.server";
import { get, handle, ORIGIN, signIn } from "../support/built-app";

const DEMO_PASSWORD = "tingyuan-demo";
const KiB = 1024;
// a message no page below shows: the import page's note on a household's key
const RARE = zhCN["import.note.householdKey"];

let cadre: string;
let official: string;

beforeAll(async () => {
  await seedDemoIfEmpty(await db());
  cadre = await signIn("cadre", DEMO_PASSWORD);
  official = await signIn("official", DEMO_PASSWORD);
}, 180_000);

const fileHref = (html: string) =>
  /<link rel="preload" as="fetch" href="(\/i18n\/[^"]+)"[^>]*data-messages/.exec(html)?.[1];

test("the page names its language's dictionary file, served for good with the dictionary as its body", async () => {
  const page = (await get("/", cadre)).text();
  const href = fileHref(page);
  expect(href).toBe(messagesUrl("zh-CN"));
  const file = await get(href!);
  expect(file.status).toBe(200);
  expect(file.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
  expect(file.headers.get("Content-Type")).toMatch(/^application\/json/);
  expect(JSON.parse(file.text()) as MessagesFile).toEqual({ locale: "zh-CN", messages: zhCN });
});

test("the file's name changes with its words; an old name gets today's words, not for keeps", async () => {
  const today = messagesFileOf("zh-CN", zhCN);
  expect(messagesUrl("zh-CN")).toBe(`/i18n/zh-CN.${today.hash}.json`);
  expect(messagesFileOf("zh-CN", { ...zhCN, "app.tagline": `${zhCN["app.tagline"]}！` }).hash).not.toBe(today.hash);
  expect(messagesFileOf("en", en).hash).not.toBe(today.hash);

  const old = await get("/i18n/zh-CN.000000000000.json");
  expect(old.status).toBe(200);
  expect(old.headers.get("Cache-Control")).toBe("no-cache");
  expect((JSON.parse(old.text()) as MessagesFile).messages["app.name"]).toBe(zhCN["app.name"]);
  for (const name of ["xx.000000000000.json", `zh-CN.${today.hash}.js`, "zh-CN.json"]) {
    expect((await get(`/i18n/${name}`)).status, name).toBe(404);
  }
});

test("the pages carry no dictionary: a rare message is absent, the tagline at most in the title, the pages stay light", async () => {
  const worklist = (await get("/", cadre)).text();
  const household = /href="(\/households\/[0-9a-f-]{36})"/.exec(worklist)?.[1];
  expect(household).toBeDefined();
  // measured on the demo data: 25–43 KiB with the dictionary in a file, 144–162 KiB when the page carried it
  const bounds: [string, string, number][] = [
    ["/", cadre, 64 * KiB],
    ["/households", cadre, 64 * KiB],
    [household!, cadre, 64 * KiB],
    ["/households", official, 80 * KiB],
    // the county's charts, drawn on the server
    ["/dashboard", official, 200 * KiB],
  ];
  for (const [url, cookie, bound] of bounds) {
    const page = await get(url, cookie);
    expect(page.status, url).toBe(200);
    const html = page.text();
    expect(html, url).not.toContain(RARE);
    expect(html.split(zhCN["app.tagline"]).length - 1, `${url}: the tagline, at most in the title`).toBeLessThanOrEqual(
      1,
    );
    expect(page.body.byteLength, url).toBeLessThanOrEqual(bound);
  }
  // nor does the page's data, on a navigation
  const data = (await get("/households.data", cadre)).text();
  expect(data).not.toContain(RARE);
  expect(data).toContain(messagesUrl("zh-CN"));
});

test("after the switch to English the page is drawn in English and names the English file", async () => {
  const res = await handle(
    new Request(`${ORIGIN}/lang`, {
      method: "POST",
      headers: {
        Cookie: official,
        Origin: ORIGIN,
        Host: "localhost",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ locale: "en", redirectTo: "/households" }),
    }),
  );
  expect(res.status).toBe(302);
  const lang = res.headers.get("Set-Cookie")!.split(";")[0];
  const html = (await get("/households", `${official}; ${lang}`)).text();
  expect(html).toMatch(/<html lang="en"/);
  expect(html).toMatch(/<h1[^>]*>Households<\/h1>/);
  expect(fileHref(html)).toBe(messagesUrl("en"));
  const file = JSON.parse((await get(messagesUrl("en"))).text()) as MessagesFile;
  expect(file).toEqual({ locale: "en", messages: en });
});
