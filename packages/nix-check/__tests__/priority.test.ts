import { getPriority, setPriority } from "node:os";
import { describe, expect, it } from "vitest";
import { YIELDING_NICENESS, yieldToDocsChain } from "../vitest.priority.js";

describe("yieldToDocsChain", () => {
  it("leaves the priority alone outside Turborepo", () => {
    const before = getPriority(0);
    expect(yieldToDocsChain({})).toBe(false);
    expect(getPriority(0)).toBe(before);
  });

  it("lowers it under Turborepo, and never raises it", () => {
    expect(yieldToDocsChain({ TURBO_HASH: "4240e7225dcd2cde" })).toBe(true);
    expect(getPriority(0)).toBeGreaterThanOrEqual(YIELDING_NICENESS);
    // Started lower still (this worker may only go down), it stays there.
    setPriority(0, YIELDING_NICENESS + 5);
    yieldToDocsChain({ TURBO_HASH: "4240e7225dcd2cde" });
    expect(getPriority(0)).toBe(YIELDING_NICENESS + 5);
  });
});
