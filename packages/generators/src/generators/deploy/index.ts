// gen deploy as the registry loads it: its parameters and its planner.
import type { Generator } from "../registry.js";
import { planDeploy } from "./plan.js";
import { deploySpec } from "./spec.js";

export const generator: Generator = { spec: deploySpec, plan: planDeploy };
