// Public API: the planning functions the CLI, the tests and the docs share.
export { RELEASE, SYSTEMS, SHELLS, PATTERNS, type System, type Shell, type Pattern } from "./release.js";
export { GenError } from "./errors.js";
export * from "./answers.js";
export { nixString, nixAttr, isNixIdentifier } from "./nix.js";
export { fsRepo, memoryRepo, Tree, type RepoView, type FileChange } from "./repo.js";
export { planHost } from "./plan/host.js";
export { planUser } from "./plan/user.js";
export { planRemoveHost, planRemoveUser, type RemoveHostAnswers, type RemoveUserAnswers } from "./plan/remove.js";
export { planDeploy } from "./plan/deploy.js";
export { checkTag, checkTarget, parseTarget, type Target } from "./deploy-target.js";
export { checkHardwareConfig } from "./hardware.js";
export { listHosts } from "./plan/repo-facts.js";
export type { Plan } from "./plan/plan.js";
export { TEMPLATES_DIR, render } from "./templates.js";
export { generatorParams, deploySpec, hostSpec, userSpec, type ParamDoc, type Param, type GeneratorSpec } from "./params.js";
export { checkPlan, applyPlan, formatPlan } from "./apply.js";
export { insertedLines, unifiedDiff } from "./diff.js";
export { main } from "./cli.js";
export { SAMPLE_HARDWARE_CONFIG_PATH, STARTER_DIR, sampleHardwareConfig, starterFiles } from "./starter.js";
export {
  REFUSALS,
  SAMPLE_HOST,
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
} from "./scenarios.js";
