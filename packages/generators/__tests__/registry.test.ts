// Adding a generator is its folder, its templates and one registry line:
// __tests__/fixtures/motd/ is such a folder, and the line below is the only
// other thing it takes for the CLI, --help and the docs' table to offer it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { paramDocs } from "../src/answers/spec.js";
import { REGISTRY, loadAll } from "../src/generators/registry.js";
import { readTree, runMain, starterRepos } from "./helpers.js";

const registry = { ...REGISTRY, motd: () => import("./fixtures/motd/index.js").then((m) => m.generator) };
const repo = starterRepos();

describe("the generator registry", () => {
  it("runs a generator added by one registry line: gen motd writes hosts/<h>/motd.nix", async () => {
    const dir = repo();
    const run = await runMain(["motd", "example", "--text", "Be kind"], dir, { registry });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("CREATE hosts/example/motd.nix");
    expect(readTree(dir)["hosts/example/motd.nix"]).toBe('# The message of the day of example, written by the test-only gen motd.\n{\n  users.motd = "Be kind";\n}\n');
  });

  it("refuses its bad answers in one line, and lists it in --help with its flags", async () => {
    const dir = repo();
    const bad = await runMain(["motd", "nope"], dir, { registry });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: There is no host "nope"[^\n]*\n$/);
    expect((await runMain(["--help"], dir, { registry })).stdout).toMatch(/^ {2}motd {4}Write hosts\/<host>\/motd\.nix/m);
    expect((await runMain(["motd", "--help"], dir, { registry })).stdout).toContain("--text <value>");
    const all = await loadAll(registry);
    expect(paramDocs(all.motd.spec).map((d) => d.flag)).toEqual(["--host", "--text"]);
  });

  it("loads only the chosen generator: gen host's modules are not gen user's", () => {
    const host = readFileSync(join(import.meta.dirname, "../src/generators/host/index.ts"), "utf8");
    const registrySource = readFileSync(join(import.meta.dirname, "../src/generators/registry.ts"), "utf8");
    expect(registrySource).not.toMatch(/^import (?!type)/m); // only dynamic imports of generators
    expect(host).not.toContain("../user/index.js");
  });
});
