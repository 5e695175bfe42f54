export const SUITES: { browser: string[]; trustedClicks: string[]; node: string[] };
export function nodeTestFiles(): string[];
