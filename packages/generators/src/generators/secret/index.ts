// gen secret as the registry loads it: its parameters and its command (it reads a hidden value).
import type { Generator } from "../registry.js";
import { runSecret } from "./command.js";
import { secretSpec } from "./spec.js";

export const generator: Generator = { spec: secretSpec, command: runSecret };
