export { NIX_FLAGS, NixMissingError, nixAvailable, withoutNixWarnings } from "./nix-bin.js";
export { parseNixPaths, parseNixSources, type ParseResult, type SourceFile } from "./parse.js";
export { listNixFiles } from "./files.js";
export {
  FLAKE_TREE,
  STUBS_DIR,
  copyFlakeTree,
  evalChecks,
  evalFlakeStructure,
  evalFlakeStructures,
  type FlakeStructure,
  evalHomes,
  evalHive,
  evalHosts,
  evalWithStubs,
  type EvalOptions,
  type HomeStructure,
  type HostStructure,
  type NodeStructure,
} from "./flake-eval.js";
export {
  CONFIG_OUTPUTS,
  checkFork,
  formatProblem,
  hasConflictMarkers,
  readableNixError,
  type ConfigOutput,
  type EntryReport,
  type ForkProblem,
  type ForkReport,
} from "./fork-check.js";
export { checkSecrets, evalSecretUses, sshTag } from "./secrets-check.js";
export { DISK_PLACEHOLDER_PREFIX, diskPlaceholderWarnings } from "./disk-placeholder.js";
