// The settings form (规则参数): every tunable value with its own range, one effective date for the change.
// Plain module: the page validates with it in the browser, the action and app/models/settings.server.ts
// again on the server, and the page prints the same ranges next to the fields.
import { z } from "zod";
import { DateSchema, message } from "./fields";
import { SETTING_KEYS, SETTING_RULES, fieldOf, type SettingKey } from "./plain";

export { SETTING_KEYS, SETTING_RULES, fieldOf, type SettingKey };

const valueSchema = (key: SettingKey) => {
  const { min, max } = SETTING_RULES[key];
  const range = message("settings.error.range", { min, max });
  return z
    .number({ error: (issue) => (issue.input === undefined ? "field.required" : "field.integer") })
    .int("field.integer")
    .min(min, range)
    .max(max, range);
};

/**
 * The county's form asks for every value; a township's leaves a value empty to follow the county. Beside
 * each value the page sends back what it showed and the version it read, so a value left as shown is not
 * written and one changed by someone else meanwhile is refused rather than overwritten.
 */
export function settingsFormSchema(level: "county" | "township") {
  const shape: Record<string, z.ZodType> = { effectiveFrom: DateSchema };
  for (const key of SETTING_KEYS) {
    const f = fieldOf(key);
    shape[f] = level === "county" ? valueSchema(key) : valueSchema(key).optional();
    // hidden fields the user never sees: a spoiled one only makes a change look stale (a conflict)
    shape[`${f}Shown`] = z.string().optional().catch(undefined);
    shape[`${f}Version`] = z.string().optional().catch(undefined);
  }
  return z.object(shape).superRefine((v, ctx) => {
    // a township's empty value follows the county: the model checks that pair on the merged values
    const normal = v[fieldOf("check.intervalDays")];
    const monitored = v[fieldOf("check.monitoredIntervalDays")];
    if (typeof normal === "number" && typeof monitored === "number" && monitored > normal)
      ctx.addIssue({
        code: "custom",
        path: [fieldOf("check.monitoredIntervalDays")],
        message: "settings.error.monitoredLonger",
      });
  });
}

export type SettingChange = { value: number | null; shown: number | null; version: string };
export type SettingsInput = { effectiveFrom: string; changes: Partial<Record<SettingKey, SettingChange>> };

/** The parsed form as the model takes it. */
export function settingsInputOf(value: Record<string, unknown>): SettingsInput {
  const changes: SettingsInput["changes"] = {};
  for (const key of SETTING_KEYS) {
    const f = fieldOf(key);
    const shown = value[`${f}Shown`];
    changes[key] = {
      value: typeof value[f] === "number" ? (value[f] as number) : null,
      shown: typeof shown === "string" && /^-?\d+$/.test(shown) ? Number(shown) : null,
      version: typeof value[`${f}Version`] === "string" ? (value[`${f}Version`] as string) : "",
    };
  }
  return { effectiveFrom: value.effectiveFrom as string, changes };
}
