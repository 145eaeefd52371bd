// The package's second entry, "@starter/generators/internals": what the
// benches measure below the public API. They import it by its export name,
// so a file moved inside src/ cannot break them silently.
export { lockRepo } from "./write/lock.js";
export { applyPlan, checkPlan } from "./write/apply.js";
export { hashText, journalPending, removeJournal, tempFor, writeJournal } from "./write/journal.js";
export { procStatField, thisProcess } from "./write/process-id.js";
export { testHooks } from "./write/test-hooks.js";
export { planFor, runGenerator, settleRepo } from "./cli/run.js";
export { withDefaults } from "./answers/resolve.js";
export { REGISTRY } from "./generators/registry.js";
export { COMMENT, lexNix } from "./nix/scan.js";
export { parseNix } from "./nix/ast.js";
export { addToModule } from "./nix/edit.js";
