// The four conditions of coverage (domain rule 7), in the order the register and the reasons show them.
// Plain TypeScript: the pages' components need the list in the browser, where a *.server module is empty.
export const CONDITIONS = ["plan", "cadre", "checkWindow", "industry"] as const;
export type Condition = (typeof CONDITIONS)[number];
