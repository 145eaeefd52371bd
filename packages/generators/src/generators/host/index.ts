// gen host as the registry loads it: its parameters and its planner.
import type { Generator } from "../registry.js";
import { planHost } from "./plan.js";
import { hostSpec } from "./spec.js";

export const generator: Generator = { spec: hostSpec, plan: planHost };
