/** 1 亩 = 666.7 平方米 (docs/domain.md). */
export const SQM_PER_MU = 666.7;

export function sqmToMu(sqm: number): string {
  return (sqm / SQM_PER_MU).toFixed(2);
}

export function fenToYuan(fen: number): string {
  return (fen / 100).toFixed(2);
}
