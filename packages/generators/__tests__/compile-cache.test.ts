import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// Each load runs in a Node of its own: the cache is about what a new process finds.
const LOADER = join(import.meta.dirname, "..", "bin", "compile-cache.mjs");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fixture(): { root: string; cache: string } {
  const root = mkdtempSync(join(tmpdir(), "compile-cache-"));
  dirs.push(root);
  writeFileSync(join(root, "lib.cjs"), 'exports.answer = () => 42;\n');
  writeFileSync(join(root, "main.cjs"), 'const { answer } = require("./lib.cjs");\nexports.run = async () => `${answer()} ${await require("./lazy.cjs").os()}`;\n');
  // A file with import() is Node's to compile: in a vm.Script it would need a callback that a cache loses.
  writeFileSync(join(root, "lazy.cjs"), 'exports.os = async () => typeof (await import("node:os")).homedir;\n');
  return { root, cache: join(root, ".cache") };
}

function load(root: string, cache: string): { out: string; cached: string[]; compiled: string[] } {
  const script = `
    import { useCompileCache } from ${JSON.stringify(LOADER)};
    import { createRequire } from "node:module";
    const seen = useCompileCache(${JSON.stringify(root)}, ${JSON.stringify(cache)});
    const out = await createRequire(import.meta.url)(${JSON.stringify(join(root, "main.cjs"))}).run();
    console.log(JSON.stringify({ out, cached: seen.cached.map((f) => f.slice(${root.length + 1})), compiled: seen.compiled.map((f) => f.slice(${root.length + 1})) }));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as { out: string; cached: string[]; compiled: string[] };
}

describe("the CLI's compile cache (bin/compile-cache.mjs)", () => {
  it("compiles once, then runs from the cache; an edit of a file compiles that file again", () => {
    const { root, cache } = fixture();
    expect(load(root, cache)).toEqual({ out: "42 function", cached: [], compiled: ["main.cjs", "lib.cjs"] });
    expect(readdirSync(cache).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(load(root, cache)).toEqual({ out: "42 function", cached: ["main.cjs", "lib.cjs"], compiled: [] });

    // The same length, so V8's own check would take the old code: the name of the cache tells.
    writeFileSync(join(root, "lib.cjs"), 'exports.answer = () => 43;\n');
    utimesSync(join(root, "lib.cjs"), new Date(), new Date(Date.now() + 5000));
    expect(load(root, cache)).toEqual({ out: "43 function", cached: ["main.cjs"], compiled: ["lib.cjs"] });
  });

  it("a damaged cache is rejected and written again", () => {
    const { root, cache } = fixture();
    load(root, cache);
    for (const f of readdirSync(cache)) writeFileSync(join(cache, f), "not V8's");
    expect(load(root, cache)).toEqual({ out: "42 function", cached: [], compiled: ["main.cjs", "lib.cjs"] });
    expect(load(root, cache).cached).toEqual(["main.cjs", "lib.cjs"]);
  });

  it("a cache that cannot be written (a file where its folder should be) only means no cache", () => {
    const { root } = fixture();
    const blocked = join(root, "blocked");
    writeFileSync(blocked, "");
    expect(load(root, join(blocked, "cache"))).toEqual({ out: "42 function", cached: [], compiled: ["main.cjs", "lib.cjs"] });
    expect(load(root, join(blocked, "cache")).cached).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0)("writes no cache where another user owns the files (sudo pnpm gen in someone's clone); skipped unless run as root, who alone can hand a folder to another user", () => {
    const { root, cache } = fixture();
    chownSync(root, 65534, 65534);
    expect(load(root, cache)).toEqual({ out: "42 function", cached: [], compiled: ["main.cjs", "lib.cjs"] });
    expect(existsSync(cache)).toBe(false);
  });
});
