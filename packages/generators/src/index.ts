// Public API: the planning functions the CLI, the tests and the docs share.
export { RELEASE, SYSTEMS, SHELLS, PATTERNS, type System, type Shell, type Pattern } from "./answers/release.js";
export { GenError } from "./report/errors.js";
export * from "./answers/rules.js";
export { nixString, nixAttr, isNixIdentifier } from "./nix/quote.js";
export { fsRepo, memoryRepo, Tree, type RepoView, type FileChange } from "./repo/tree.js";
export { planHost } from "./generators/host/plan.js";
export { planUser } from "./generators/user/plan.js";
export { planRemoveHost, planRemoveUser, type RemoveHostAnswers, type RemoveUserAnswers } from "./generators/remove/plan.js";
export { planDeploy } from "./generators/deploy/plan.js";
export { checkTag, checkTarget, parseTarget, type Target } from "./answers/deploy-target.js";
export { checkHardwareConfig } from "./repo/hardware.js";
export { listHosts } from "./repo/facts.js";
export type { Plan } from "./write/plan.js";
export { TEMPLATES_DIR, render } from "./generators/templates.js";
export { type ParamDoc, type Param, type GeneratorSpec } from "./answers/spec.js";
export { hostSpec } from "./generators/host/spec.js";
export { userSpec } from "./generators/user/spec.js";
export { deploySpec } from "./generators/deploy/spec.js";
export { REGISTRY, loadAll, type Generator, type GeneratorName, type Registry } from "./generators/registry.js";
export { GENERATORS, generatorParams } from "./generators/all.js";
export { checkPlan, applyPlan, formatPlan } from "./write/apply.js";
export { insertedLines, unifiedDiff } from "./report/diff.js";
export { main } from "./cli/main.js";
export { SAMPLE_HARDWARE_CONFIG_PATH, STARTER_DIR, sampleHardwareConfig, starterFiles } from "./repo/starter.js";
export {
  REFUSALS,
  SAMPLE_DISK_HOST,
  SAMPLE_HOST,
  SAMPLE_INSTALL,
  SCENARIOS,
  commandFor,
  planScenario,
  planStep,
  refusalMessage,
  runSteps,
  withChanges,
  type Refusal,
  type Scenario,
  type Step,
} from "./generators/scenarios.js";
export { installDryRun } from "./generators/install/run.js";
export { DISK_LAYOUTS } from "./generators/host/disk.js";
