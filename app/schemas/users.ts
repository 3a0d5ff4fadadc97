// Accounts (用户): the administrator's and the township official's user forms, and everyone's own
// password form. One schema per form, parsed by the page (Conform) and again by app/models/users.server.ts.
import { z } from "zod";
import { PASSWORD_MAX_LENGTH, passwordProblems } from "~/utils/password-policy";
import { USER_ROLES } from "~/vocabulary";
import { ChoiceSchema, VersionSchema, message } from "./fields";

const Text = (max: number) => z.string().trim().max(max, message("field.tooLong", { max }));

/** Sign-in names: letters, digits and . _ - (what a phone keyboard types without switching), 3–32. */
export const UsernameSchema = z
  .string({ error: "field.required" })
  .trim()
  .min(1, "field.required")
  .min(3, message("users.error.usernameShort", { min: 3 }))
  .max(32, message("field.tooLong", { max: 32 }))
  .regex(/^[A-Za-z0-9._-]+$/, "users.error.usernameChars");

const PhoneSchema = z
  .string()
  .trim()
  .max(20, message("field.tooLong", { max: 20 }))
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^[0-9+\- ]{5,20}$/.test(v), "field.phone");

const OptionalChoice = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(ChoiceSchema.optional());

const Account = {
  displayName: Text(50).min(1, "field.required"),
  phone: PhoneSchema,
  role: z.enum(USER_ROLES, { error: "field.choice" }),
  /** an official's or a cadre's township */
  townshipId: OptionalChoice,
  /** a clerk's cooperative */
  cooperativeId: OptionalChoice,
};

/** Which of the scope fields a role needs; checked here for the form and again by the model. */
function needsScope(value: { role: string; townshipId?: string; cooperativeId?: string }, ctx: z.RefinementCtx) {
  if ((value.role === "official" || value.role === "cadre") && !value.townshipId)
    ctx.addIssue({ code: "custom", path: ["townshipId"], message: "users.error.townshipRequired" });
  if (value.role === "clerk" && !value.cooperativeId)
    ctx.addIssue({ code: "custom", path: ["cooperativeId"], message: "users.error.cooperativeRequired" });
}

export const UserCreateSchema = z.object({ username: UsernameSchema, ...Account }).superRefine(needsScope);
export type UserCreateInput = z.output<typeof UserCreateSchema>;

export const UserEditSchema = z.object({ version: VersionSchema, ...Account }).superRefine(needsScope);
export type UserEditInput = Omit<z.output<typeof UserEditSchema>, "version">;

/** Deactivate, reactivate, reset a password: each carries the version the page showed. */
export const UserActionSchema = z.object({ version: VersionSchema });

/** The password policy's own checks (length, the common-password list); the model adds "not the username". */
const NewPassword = z
  .string({ error: "field.required" })
  .min(1, "field.required")
  .superRefine((v, ctx) => {
    for (const problem of passwordProblems(v)) ctx.addIssue({ code: "custom", message: problem });
  });

export const PasswordChangeSchema = z
  .object({
    currentPassword: z.string({ error: "field.required" }).min(1, "field.required").max(PASSWORD_MAX_LENGTH),
    newPassword: NewPassword,
    confirmPassword: z.string({ error: "field.required" }).min(1, "field.required").max(PASSWORD_MAX_LENGTH),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "account.error.mismatch",
  });
export type PasswordChangeInput = z.output<typeof PasswordChangeSchema>;

/** The sign-in form. */
export const LoginSchema = z.object({
  username: z.string({ error: "login.usernameRequired" }).trim().min(1, "login.usernameRequired").max(64),
  password: z.string({ error: "login.passwordRequired" }).min(1, "login.passwordRequired").max(200),
  redirectTo: z.string().optional(),
});
