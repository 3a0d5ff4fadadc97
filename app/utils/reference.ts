// An entry of a reference list (crops, animals, poverty causes) as the pages show it: its name in the
// page's language, marked 已停用 when the administrator has retired it (app/models/reference-lists.server.ts).
import type { Locale } from "~/i18n";

export type ReferenceEntry = { code: string; nameZh: string; nameEn: string; retired: boolean };

/** The entry's name in the page's language, marked when retired. */
export function entryLabel(entry: { nameZh: string; nameEn: string; retired?: boolean }, locale: Locale) {
  const name = locale === "en" ? entry.nameEn : entry.nameZh;
  return entry.retired ? `${name}${locale === "en" ? " (retired)" : "（已停用）"}` : name;
}

type Named<P extends string> = Record<`${P}Zh` | `${P}En`, string> &
  Partial<Record<`${P}RetiredAt`, Date | string | null>>;

/** A record's crop, as its model reads it beside the record (cropZh, cropEn, cropRetiredAt). */
export const cropLabel = (row: Named<"crop">, locale: Locale) =>
  entryLabel({ nameZh: row.cropZh, nameEn: row.cropEn, retired: Boolean(row.cropRetiredAt) }, locale);

/** A plan's animal (animalZh, animalEn, animalRetiredAt). */
export const animalLabel = (row: Named<"animal">, locale: Locale) =>
  entryLabel({ nameZh: row.animalZh, nameEn: row.animalEn, retired: Boolean(row.animalRetiredAt) }, locale);

/** A household's poverty cause (causeZh, causeEn, causeRetiredAt): null when the role does not see it. */
export const causeLabel = (
  row: { causeZh: string | null; causeEn: string | null; causeRetiredAt?: Date | string | null },
  locale: Locale,
) =>
  row.causeZh === null
    ? null
    : entryLabel(
        { nameZh: row.causeZh, nameEn: row.causeEn ?? row.causeZh, retired: Boolean(row.causeRetiredAt) },
        locale,
      );
