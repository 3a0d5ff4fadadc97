// Both languages, for the server: the root loader sends the reader's dictionary to the page, and exports,
// form replies and loaders that draw text translate here.
import { en } from "./en";
import { DEFAULT_LOCALE, translatorOf, type Dictionary, type Locale, type Translate } from "./index";
import { zhCN } from "./zh-CN";

const dictionaries: Record<Locale, Dictionary> = { "zh-CN": zhCN, en };

export function dictionary(locale: Locale): Dictionary {
  return dictionaries[locale] ?? dictionaries[DEFAULT_LOCALE];
}

export function translator(locale: Locale): Translate {
  return translatorOf(dictionary(locale));
}
