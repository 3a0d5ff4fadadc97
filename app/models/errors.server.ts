// Errors the model layer throws for a route to turn into a response. Messages are dictionary keys.
export type FieldErrors = Record<string, string[]>;

/** Input that breaks a rule: shown next to the fields, the user's input kept (400). */
export class ValidationError extends Error {
  constructor(
    public fieldErrors: FieldErrors,
    public formErrors: string[] = [],
  ) {
    super(`validation failed: ${JSON.stringify({ fieldErrors, formErrors })}`);
  }
  static field(path: string, message: string) {
    return new ValidationError({ [path]: [message] });
  }
  static form(message: string) {
    return new ValidationError({}, [message]);
  }
}

/** Someone else saved the record since this user opened it (409): nothing is overwritten. */
export class ConflictError extends Error {
  constructor(public entity: string) {
    super(`${entity} changed since it was read`);
  }
}

/** Not in the caller's scope, or not there at all: the same answer, 404. */
export class NotFoundError extends Error {
  constructor(public entity: string) {
    super(`${entity} not found`);
  }
}

/** In scope, but the caller's role may not do this (403). */
export class ForbiddenError extends Error {
  constructor(public reason: string) {
    super(reason);
  }
}

/** The PostgreSQL error behind a drizzle error, on both drivers. */
export function pgError(error: unknown): { code?: string; constraint?: string } {
  let e = error as { cause?: unknown; code?: string; constraint?: string; constraint_name?: string } | undefined;
  for (let i = 0; e && i < 3; i++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) {
      return { code: e.code, constraint: e.constraint ?? e.constraint_name };
    }
    e = e.cause as typeof e;
  }
  return {};
}

export const isUniqueViolation = (error: unknown, constraint?: string) => {
  const pg = pgError(error);
  return pg.code === "23505" && (!constraint || pg.constraint === constraint);
};
