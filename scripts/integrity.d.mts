export function browserFiles(dir?: string): string[];
export function sri(bytes: Uint8Array | string): string;
