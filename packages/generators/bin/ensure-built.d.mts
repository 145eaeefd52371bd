export declare const PACKAGE_DIR: string;
export declare const CLI_ENTRY: string;
interface LoadedPackage {
  name: string;
  dir: string;
  entry: string;
  /** Names of the workspace packages it depends on. */
  deps: string[];
}
export declare function loadedPackages(): LoadedPackage[];
export declare function stalePackages(options?: { templates?: boolean }): LoadedPackage[];
export declare function ensureBuilt(options?: { announce?: boolean; templates?: boolean }): boolean;
