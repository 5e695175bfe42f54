export function sourceKeys(): string[];
