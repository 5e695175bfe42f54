export declare function startTestViewerServer(): Promise<{ origin: string; close(): Promise<void> }>;
export declare function testViewerServerPlugin(): unknown;
