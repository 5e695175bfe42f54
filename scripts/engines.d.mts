export type EngineName = 'chromium' | 'firefox' | 'webkit';
export declare const FIREFOX_PATH: string;
export declare const WEBKIT_DRIVER_PATH: string;
export declare const MINIBROWSER_PATH: string;
export declare const ENGINES: Record<EngineName, { files: string[]; packages: string; concurrency: number }>;
export declare function selectedEngines(value?: string): EngineName[];
export declare function missingEngine(engine: EngineName): string | null;
export declare function engineLauncher(engine: EngineName, options?: { popupBlocker?: boolean }): Promise<unknown>;
export declare function startWebKitDriver(options?: { popupBlocker?: boolean }): Promise<{
  hostname: string;
  port: number;
  capabilities: Record<string, unknown> & { browserName: string };
  stop(): void;
}>;
export declare function enginePlugin(engine: EngineName): unknown;
