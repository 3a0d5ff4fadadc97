/** How zod 4's English messages read when no schema or map chose one; none may reach a page. */
export const ZOD_DEFAULT =
  /Invalid input|Invalid option|Invalid string|Invalid number|Invalid date|Invalid (ISO|UUID|email|URL|key|value|discriminator|element)|expected (string|number|int|one of|array|object|date|boolean|File)|received (undefined|string|number|NaN|Infinity|array|object|null)|Too (small|big)|Unrecognized key|Input not instance/i;
