// gen user as the registry loads it: its parameters and its planner.
import type { Generator } from "../registry.js";
import { planUser } from "./plan.js";
import { userSpec } from "./spec.js";

export const generator: Generator = { spec: userSpec, plan: planUser };
