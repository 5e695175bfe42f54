// A calendar date as ISO 8601 writes it: the birth date's one spelling, in the button and in the token.

/** `YYYY-MM-DD`, and a day that exists (no 30 February). */
export const isIsoDate = (value: string) => /^\d{4}-\d\d-\d\d$/.test(value) && new Date(Date.parse(value) || 0).toISOString().startsWith(value);
