// Provincial health number rules: format, public check digits, display form.
// Returns values, never throws: the input often comes straight from an EMR field or a JS caller.
import { toProvinceCode, type ProvinceCode } from './provinces.js';

export type HealthNumberInvalidReason = 'empty' | 'format' | 'checksum' | 'unsupported';

export type HealthNumberResult =
  | { valid: true; province: ProvinceCode; value: string; display: string }
  | { valid: false; province: string; reason: HealthNumberInvalidReason };

interface HealthNumberRule {
  /** Matches the normalized value (separators removed, letters upper-cased); its groups are the display groups. */
  pattern: RegExp;
  /** The display form, as a replacement for `pattern`'s groups. */
  display: string;
  check?: (value: string) => boolean;
}

const digitsOf = (value: string) => Array.from(value.slice(0, 10), Number);

/**
 * BC PHN: weights 2,4,8,5,10,9,7,3 on digits 2-9; check digit = 11 - (sum mod 11).
 * A remainder of 0 or 1 has no valid check digit (bcgov/healthgateway PHNValidator.cs;
 * python-stdnum accepts remainder 0, the Province does not).
 */
function bcPhnCheck(value: string): boolean {
  const digits = digitsOf(value);
  const weights = [2, 4, 8, 5, 10, 9, 7, 3];
  const sum = weights.reduce((total, weight, i) => total + digits[i + 1]! * weight, 0);
  const remainder = sum % 11;
  return remainder > 1 && 11 - remainder === digits[9];
}

/** Ontario HCN: Luhn over the 10 digits (OHIP Technical Specifications, section 5.13). */
function luhnCheck(value: string): boolean {
  const digits = digitsOf(value);
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const doubled = i % 2 === 0 ? digits[i]! * 2 : digits[i]!;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return sum % 10 === 0;
}

/**
 * Quebec NAM: the RAMQ check digit needs data we do not have (full birth year, sex), so we check
 * only what the number publicly encodes: the birth month (01-12, +50 for women) and day (01-31).
 */
function namDateCheck(value: string): boolean {
  const month = Number(value.slice(6, 8));
  const day = Number(value.slice(8, 10));
  const monthOk = (month >= 1 && month <= 12) || (month >= 51 && month <= 62);
  return monthOk && day >= 1 && day <= 31;
}

// Provinces whose check rule is not public (AB, SK, NS, NB, NL) are checked for format only.
// Manitoba is absent on purpose: its viewer (eChart) is never offered, so nothing asks for a PHIN.
// No prototype: a code without a rule (MB, PE, ...) must not find one on a polluted Object.prototype.
const THREE_GROUPS = '$1 $2 $3';
const RULES = {
  __proto__: null,
  BC: { pattern: /^(9\d{3})(\d{3})(\d{3})$/, display: THREE_GROUPS, check: bcPhnCheck },
  AB: { pattern: /^(\d{5})(\d{4})$/, display: '$1-$2' },
  SK: { pattern: /^(\d{3})(\d{3})(\d{3})$/, display: THREE_GROUPS },
  // The version code (letters) is optional: the display then ends with the digits.
  ON: { pattern: /^(\d{4})(\d{3})(\d{3})([A-Z]{0,2})$/, display: '$1 $2 $3 $4', check: luhnCheck },
  QC: { pattern: /^([A-Z]{4})(\d{4})(\d{4})$/, display: THREE_GROUPS, check: namDateCheck },
  NS: { pattern: /^(\d{4})(\d{3})(\d{3})$/, display: THREE_GROUPS },
  NB: { pattern: /^(\d{3})(\d{3})(\d{3})$/, display: THREE_GROUPS },
  NL: { pattern: /^(\d{3})(\d{3})(\d{3})(\d{3})$/, display: '$1 $2 $3 $4' },
} as Partial<Record<ProvinceCode, HealthNumberRule>>;

/** Longer input cannot be a health number; bail out before doing any work on it. */
const MAX_INPUT_LENGTH = 40;

/**
 * Checks a patient's health number against the rules of `province`.
 * Spaces and dashes (any Unicode space separator or dash) are tolerated; anything else that is
 * not part of the number is `format`.
 */
export function validateHealthNumber(province: unknown, input: unknown): HealthNumberResult {
  const code = toProvinceCode(province);
  const rule = code ? RULES[code] : undefined;
  if (!code || !rule) {
    // Echo only something shaped like a province code: swapped arguments must not echo a PHN.
    const shown = typeof province === 'string' && /^\s*[a-z]{2}\s*$/i.test(province) ? province.trim().toUpperCase() : '';
    return { valid: false, province: shown, reason: 'unsupported' };
  }
  if (input === null || input === undefined) return { valid: false, province: code, reason: 'empty' };
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) {
    return { valid: false, province: code, reason: 'format' };
  }
  // Any space or dash, including the no-break spaces and en dashes that come with a pasted number.
  const stripped = input.replace(/[\p{Zs}\p{Pd}]/gu, '').trim();
  if (stripped === '') return { valid: false, province: code, reason: 'empty' };
  // Checked before upper-casing, which folds some non-ASCII letters into ASCII ones (ß to SS, ı to I).
  const value = stripped.toUpperCase();
  if (/[^\0-\x7f]/.test(stripped) || !rule.pattern.test(value)) return { valid: false, province: code, reason: 'format' };
  // Own only: a rule with no check (AB) must not run one a polluted Object.prototype has.
  if (Object.hasOwn(rule, 'check') && !rule.check!(value)) return { valid: false, province: code, reason: 'checksum' };
  return { valid: true, province: code, value, display: value.replace(rule.pattern, rule.display).trim() };
}
