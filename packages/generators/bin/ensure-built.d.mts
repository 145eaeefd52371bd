export declare const PACKAGE_DIR: string;
export declare const CLI_ENTRY: string;
export declare function loadedPackages(): { name: string; dir: string; entry: string }[];
export declare function stalePackages(options?: { templates?: boolean }): { name: string; dir: string; entry: string }[];
export declare function ensureBuilt(options?: { announce?: boolean; templates?: boolean }): boolean;
