import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../src/report/diff.js";

/** GNU diff's hunks for the same input (-U2), without its two header lines. */
function gnuHunks(before: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), "diff-"));
  try {
    writeFileSync(join(dir, "a"), before);
    writeFileSync(join(dir, "b"), after);
    const out = spawnSync("diff", ["-U2", join(dir, "a"), join(dir, "b")], { encoding: "utf8" }).stdout;
    return out.split("\n").slice(2).join("\n").trimEnd();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ours = (before: string, after: string) => unifiedDiff("f", before, after).split("\n").slice(2).join("\n");

describe("unifiedDiff", () => {
  const base = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
  it.each([
    ["an insertion", base.replace("line 10\n", "line 10\nnew\n")],
    ["two distant insertions", base.replace("line 3\n", "line 3\nx\n").replace("line 25\n", "line 25\ny\nz\n")],
    ["a replacement", base.replace("line 15\n", "changed\n")],
    ["a deletion at the end", base.replace("line 30\n", "")],
    ["an insertion at the start", "first\n" + base],
  ])("matches GNU diff for %s", (_what, after) => {
    expect(ours(base, after)).toBe(gnuHunks(base, after));
  });

  it("shows a new file as all additions", () => {
    expect(unifiedDiff("x.nix", null, "a\nb\n")).toBe("--- /dev/null\n+++ b/x.nix\n@@ -0,0 +1,2 @@\n+a\n+b");
  });
});
