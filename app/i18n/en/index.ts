import type { Dictionary } from "../zh-CN";
import { common } from "./common";

// Typed as the full dictionary: a key missing in English is a compile error.
export const en: Dictionary = {
  ...common,
};
