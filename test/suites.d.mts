export const SUITES: { browser: string[]; trustedClicks: string[] };
export function nodeTestFiles(): string[];
export function walkTestFiles(): string[];
