export declare const PACKAGE_DIR: string;
export declare const CLI_ENTRY: string;
export declare function ensureBuilt(options?: { announce?: boolean }): boolean;
