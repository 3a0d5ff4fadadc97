// Typed as the full dictionary: a key missing in English is a compile error.
import type { calendar as zh } from "../zh-CN/calendar";

export const calendar: Record<keyof typeof zh, string> = {
  "calendar.title": "Key dates",
  "calendar.hint": "Month-day, e.g. 05-01; the same day every year. Left empty, the stage has no visit.",
  "calendar.stage.transplant": "Sowing/transplanting",
  "calendar.stage.flowering": "Flowering",
  "calendar.stage.harvest": "Harvest",
  "calendar.stage.buyIn": "Buying in",
  "calendar.stage.sell": "Selling",
  "calendar.save": "Save key dates",
  "calendar.none": "No key dates",
  "calendar.saved": "Key dates saved; the running plans' visits follow them.",
  "calendar.error.format": "Write month-day, e.g. 05-01",
  "calendar.error.day": "No such day (months 1–12; February has 28 days here)",
  "calendar.visit.transplant": "{item}: transplanting visit",
  "calendar.visit.flowering": "{item}: flowering visit",
  "calendar.visit.harvest": "{item}: pre-harvest visit",
  "calendar.visit.buyIn": "{item}: buying-in visit",
  "calendar.visit.sell": "{item}: pre-sale visit",
  "calendar.visitOn": "{visit} ({date})",
  "calendar.checkFor": "This visit is for: {visits}",
  "calendar.season": "{year} season and visits",
  "calendar.seasonHint": "The line is today; dots are key dates, squares the proposed visits (filled: made).",
  "calendar.visitMade": "made",
  "calendar.visitPending": "to do",
} as const;
