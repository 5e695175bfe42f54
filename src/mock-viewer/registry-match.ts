// The review screen's comparison of a name from the EMR with the client registry's, as a registry
// compares: case, accents, repeated spaces and hyphens against spaces are no difference (many EMRs
// store MAPLE SANDBOX in capitals, or drop the accent of Bélanger); a different letter is. Pure.

/**
 * The name as the registry compares it: compatibility-decomposed, accents dropped, case folded
 * (lower, upper, lower again: Groß and GROSS fold alike), every run of spaces and dashes one space,
 * trimmed. Idempotent.
 */
export function normalizeName(name: string): string {
  return name.normalize('NFKD').toLowerCase().toUpperCase().toLowerCase().normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\s\p{Pd}]+/gu, ' ')
    .trim();
}

/** Whether two names agree, as the registry compares them. */
export const sameName = (a: string, b: string): boolean => normalizeName(a) === normalizeName(b);
