// Canadian province and territory codes, and the names our messages need.
// Pure data: the core must stay DOM-free and tiny.

export type ProvinceCode =
  | 'AB' | 'BC' | 'MB' | 'NB' | 'NL' | 'NS' | 'NT' | 'NU' | 'ON' | 'PE' | 'QC' | 'SK' | 'YT';

export const PROVINCE_NAMES: Readonly<Record<ProvinceCode, string>> = Object.freeze({
  AB: 'Alberta',
  BC: 'British Columbia',
  MB: 'Manitoba',
  NB: 'New Brunswick',
  NL: 'Newfoundland and Labrador',
  NS: 'Nova Scotia',
  NT: 'Northwest Territories',
  NU: 'Nunavut',
  ON: 'Ontario',
  PE: 'Prince Edward Island',
  QC: 'Quebec',
  SK: 'Saskatchewan',
  YT: 'Yukon',
});

/** Normalizes 'bc', ' BC ' to 'BC'; anything that is not a known code gives null. */
export function toProvinceCode(input: unknown): ProvinceCode | null {
  if (typeof input !== 'string' || input.length > 8) return null;
  const code = input.trim().toUpperCase();
  return Object.prototype.hasOwnProperty.call(PROVINCE_NAMES, code) ? (code as ProvinceCode) : null;
}
