// Both languages, for the server: pages render with them (held for useT and meta functions), and exports,
// form replies and loaders that draw text translate here. The browser gets its reader's language as a file
// named by a hash of its content, so it can keep it for good and a new build's words get a new name.
import crypto from "node:crypto";
import { en } from "./en";
import {
  DEFAULT_LOCALE,
  holdDictionary,
  isLocale,
  translatorOf,
  type Dictionary,
  type Locale,
  type MessagesFile,
  type Translate,
} from "./index";
import { zhCN } from "./zh-CN";

const dictionaries: Record<Locale, Dictionary> = { "zh-CN": zhCN, en };
for (const [locale, messages] of Object.entries(dictionaries)) holdDictionary(locale as Locale, messages);

export function dictionary(locale: Locale): Dictionary {
  return dictionaries[locale] ?? dictionaries[DEFAULT_LOCALE];
}

export function translator(locale: Locale): Translate {
  return translatorOf(dictionary(locale));
}

/** A dictionary file's body and the hash its name carries. */
export function messagesFileOf(locale: Locale, messages: Dictionary): { body: string; hash: string } {
  const file: MessagesFile = { locale, messages };
  const body = JSON.stringify(file);
  return { body, hash: crypto.createHash("sha256").update(body).digest("hex").slice(0, 12) };
}

const files = new Map<Locale, { body: string; hash: string }>();

function messagesFile(locale: Locale) {
  let file = files.get(locale);
  if (!file) files.set(locale, (file = messagesFileOf(locale, dictionary(locale))));
  return file;
}

/** Where the browser fetches the reader's dictionary. */
export function messagesUrl(locale: Locale): string {
  return `/i18n/${locale}.${messagesFile(locale).hash}.json`;
}

/**
 * The dictionary file a URL's name asks for: `fresh` when the hash is this build's. A stale name (a page
 * kept from the last build) still gets the current words, but not for keeps.
 */
export function messagesFileFor(name: string): { body: string; fresh: boolean } | undefined {
  const match = /^([A-Za-z-]+)\.([0-9a-f]{12})\.json$/.exec(name);
  if (!match || !isLocale(match[1])) return undefined;
  const file = messagesFile(match[1]);
  return { body: file.body, fresh: file.hash === match[2] };
}
