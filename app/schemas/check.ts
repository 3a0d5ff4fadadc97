// A progress check (走访 / 督促检查): one schema for the form and the action.
import { z } from "zod";
import { DateSchema, message } from "./fields";
import { ZONE_STATUSES } from "~/vocabulary";
import { MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_TYPES } from "./plain";

export { MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_TYPES };

const Text = (max: number) => z.string().trim().max(max, message("field.tooLong", { max })).optional();
const zone = z.enum(ZONE_STATUSES, { error: "field.choice" });

/** Browsers send an empty file part when no photo is chosen; that is not a photo. */
const PhotoSchema = z.instanceof(File, { message: "check.error.photoType" }).superRefine((f, ctx) => {
  if (f.size > MAX_PHOTO_BYTES) {
    ctx.addIssue({ code: "custom", message: message("check.error.photoSize", { name: f.name, max: 8 }) });
  } else if (!(PHOTO_TYPES as readonly string[]).includes(f.type)) {
    ctx.addIssue({ code: "custom", message: message("check.error.photoType", { name: f.name }) });
  }
});

export const CheckSchema = z
  .object({
    visitedOn: DateSchema,
    livingStatus: zone,
    livingNote: Text(200),
    plantingStatus: zone,
    plantingNote: Text(200),
    raisingStatus: zone,
    raisingNote: Text(200),
    seen: Text(500),
    problems: Text(500),
    measures: Text(500),
    helpNeeded: Text(500),
    nextDueOn: DateSchema.optional(),
    correctsCheckId: z.uuid().optional(),
    // made when the form is opened, so a post sent twice (a retried sync) records one check
    clientId: z.uuid().optional(),
    // the household's plan as the form showed it (0: none); a different one at save time is a conflict
    planVersion: z.coerce.number().int().min(0).optional(),
    // the cadre saw the plan had changed and sends the visit anyway
    planAcknowledged: z.literal("on").optional(),
    photos: z
      .preprocess(
        (v) =>
          (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
            (f) => !(f instanceof File && f.size === 0 && !f.name),
          ),
        z.array(PhotoSchema).max(MAX_PHOTOS, message("check.error.tooManyPhotos", { max: MAX_PHOTOS })),
      )
      .optional(),
  })
  .superRefine((c, ctx) => {
    if (c.nextDueOn && c.nextDueOn < c.visitedOn) {
      ctx.addIssue({ code: "custom", path: ["nextDueOn"], message: "check.error.nextDueBeforeVisit" });
    }
  });

export type CheckInput = Omit<z.output<typeof CheckSchema>, "photos">;

/** The fields of a check that are about the form it came from, not the visit: never stored as such. */
export type CheckFormContext = Pick<CheckInput, "planVersion" | "planAcknowledged">;
