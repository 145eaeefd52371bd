// gen update as the registry loads it.
import type { Generator } from "../registry.js";
import { updateCommand } from "./command.js";
import { updateSpec } from "./spec.js";

export const generator: Generator = { spec: updateSpec, command: updateCommand };
