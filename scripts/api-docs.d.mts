export declare function apiMarkdown(manifest: unknown): string;
export declare function updatedReadme(readme: string, manifest: unknown): string;
