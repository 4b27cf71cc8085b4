export type BuiltFile = { file: string; bytes: number; gzip_bytes: number };
export declare const LOADER_DIR: string;
export declare function buildWidget(options?: { outDir?: string; loaderDir?: string }): Promise<{ loader: BuiltFile; chat: BuiltFile }>;
