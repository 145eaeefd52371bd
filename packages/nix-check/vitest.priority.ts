// Under Turborepo (`pnpm test`), this suite runs next to the docs build and
// the docs' browser test, which wait on each other: that chain, not the total
// CPU, ended a cold run. The package suites need no more CPU at a lower
// priority, they only yield it while the docs chain runs. Children (Vitest's
// workers, spawned CLIs, Nix) inherit the niceness. Run alone, nothing changes.
import { getPriority, setPriority } from "node:os";

/** How far below normal the suite runs when Turborepo runs it (TURBO_HASH set). */
export const YIELDING_NICENESS = 10;

export function yieldToDocsChain(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!env.TURBO_HASH) return false;
  try {
    // Never raises it: a suite started with nice already stays as low.
    setPriority(0, Math.max(getPriority(0), YIELDING_NICENESS));
    return true;
  } catch {
    // A process may only lower its priority; where even that is refused, run as is.
    return false;
  }
}
