export type BuiltFile = { file: string; bytes: number; gzip_bytes: number };
export declare function buildWidget(options?: { outDir?: string }): Promise<{ loader: BuiltFile; chat: BuiltFile }>;
