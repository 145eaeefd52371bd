// gen install as the registry loads it: its parameters and its command.
// Re-keying the host's secrets to its new key is installCommand's `rekey`
// option; without it the secrets keep the recipients they have.
import type { Generator } from "../registry.js";
import { installCommand } from "./command.js";
import { installSpec } from "./spec.js";

export const generator: Generator = { spec: installSpec, command: (answers, ctx) => installCommand(answers, ctx) };
