// Canadian province and territory codes. Their names are UI text and live with the messages.

export type ProvinceCode =
  | 'AB' | 'BC' | 'MB' | 'NB' | 'NL' | 'NS' | 'NT' | 'NU' | 'ON' | 'PE' | 'QC' | 'SK' | 'YT';

const CODES = new Set<string>(['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT']);

/** Normalizes 'bc', ' BC ' to 'BC'; anything that is not a known code gives null. */
export function toProvinceCode(input: unknown): ProvinceCode | null {
  if (typeof input !== 'string' || input.length > 8) return null;
  const trimmed = input.trim();
  const code = trimmed.toUpperCase();
  // Non-ASCII letters are refused: upper-casing would fold some into ASCII ones (ſ to S, ı to I).
  return CODES.has(code) && !/[^\0-\x7f]/.test(trimmed) ? (code as ProvinceCode) : null;
}

/** Exactly a code, as a launch token carries it: not 'bc', not ' BC '. */
export const isProvinceCode = (value: unknown): value is ProvinceCode => typeof value === 'string' && toProvinceCode(value) === value;
