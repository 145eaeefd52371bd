// bin/ensure-built.mjs in a small fake workspace: it must see a workspace
// dependency's missing or stale dist/, not only the generators' own.
import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type * as EnsureBuilt from "../bin/ensure-built.mjs";
import { makeRepo, removeRepo } from "./helpers.js";

const root = makeRepo({
  "packages/generators/package.json": JSON.stringify({ name: "@starter/generators", dependencies: { "@starter/nix-check": "workspace:*", handlebars: "4.7.8" } }),
  "packages/generators/src/cli/main.ts": "",
  "packages/generators/dist/bundle/entry.cjs": "",
  "packages/nix-check/package.json": JSON.stringify({ name: "@starter/nix-check", exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } } }),
  "packages/nix-check/src/index.ts": "",
  "packages/docs/package.json": JSON.stringify({ name: "@starter/docs" }),
});
afterAll(() => removeRepo(root));
mkdirSync(join(root, "packages/generators/bin"), { recursive: true });
copyFileSync(join(import.meta.dirname, "../bin/ensure-built.mjs"), join(root, "packages/generators/bin/ensure-built.mjs"));

const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);

describe("ensure-built", () => {
  it("checks the workspace packages the generators load, dependencies first, and finds a missing or stale dist/", async () => {
    const mod = (await import(pathToFileURL(join(root, "packages/generators/bin/ensure-built.mjs")).href)) as typeof EnsureBuilt;
    expect(mod.loadedPackages().map((p) => p.name)).toEqual(["@starter/nix-check", "@starter/generators"]);
    at("packages/generators/src/cli/main.ts", 1000);
    at("packages/generators/dist/bundle/entry.cjs", 2000);
    at("packages/nix-check/src/index.ts", 1000);
    // Its dist/ is missing; the CLI's bundle holds copies of its modules, so it goes stale with it.
    expect(mod.stalePackages().map((p) => p.name)).toEqual(["@starter/nix-check", "@starter/generators"]);

    mkdirSync(join(root, "packages/nix-check/dist"));
    writeFileSync(join(root, "packages/nix-check/dist/index.js"), "");
    at("packages/nix-check/dist/index.js", 2000);
    expect(mod.stalePackages()).toEqual([]);

    at("packages/nix-check/src/index.ts", 3000); // edited after its build
    expect(mod.stalePackages().map((p) => p.name)).toEqual(["@starter/nix-check", "@starter/generators"]);

    at("packages/nix-check/dist/index.js", 4000); // rebuilt on its own, after the CLI's bundle
    expect(mod.stalePackages().map((p) => p.name)).toEqual(["@starter/generators"]);
  });
});
