// Every generator of the registry, loaded: for what needs them all at once
// and synchronously (the scenario catalogue, the plopfile, the docs' tables).
// The CLI loads only the one it runs, through the registry.
import { type GeneratorName, REGISTRY, loadAll } from "./registry.js";
import { type ParamDoc, paramDocs } from "../answers/spec.js";

export const GENERATORS = await loadAll(REGISTRY);

/** Each generator's reference table, for the docs. */
export const generatorParams = Object.fromEntries(Object.entries(GENERATORS).map(([name, g]) => [name, paramDocs(g.spec)])) as Record<GeneratorName, ParamDoc[]>;
