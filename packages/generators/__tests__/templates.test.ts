// The build's precompiled templates (scripts/precompile-templates.mjs) are
// what a run renders with while templates/ is as built: each holds the text
// of its file, so the snapshot tests render through them; a changed file is
// compiled at the render instead, and gives what the compiler gives.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { TEMPLATES_DIR, render, renderSource } from "../src/generators/templates.js";

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".hbs") ? [join(dir, e.name)] : []));

describe("precompiled templates", () => {
  it("hold every template of templates/ with its current text", () => {
    const specs = createRequire(import.meta.url)("../dist/templates.precompiled.cjs") as Record<string, { source: string }>;
    const names = files(TEMPLATES_DIR).map((f) => relative(TEMPLATES_DIR, f)).sort();
    expect(Object.keys(specs).sort()).toEqual(names);
    for (const name of names) expect(specs[name]!.source, name).toBe(readFileSync(join(TEMPLATES_DIR, name), "utf8"));
  });

  it("render as the compiler does, strict about a missing answer", () => {
    const data = { hostName: "web1", system: "aarch64-linux" };
    const name = "host/flake-host.entry.hbs";
    expect(render(name, data)).toBe(renderSource(readFileSync(join(TEMPLATES_DIR, name), "utf8"), data));
    expect(render(name, data)).toContain('system = "aarch64-linux";');
    expect(() => render("host/deployment.nix.hbs", {})).toThrow(/not defined/);
  });

  it("are not used for a template whose text is not theirs (another folder, or changed since the build)", () => {
    const dir = mkdtempSync(join(tmpdir(), "templates-")) + "/";
    try {
      writeFileSync(join(dir, "one.hbs"), "{{nix-string name}} = {{nix-attr name}};\n");
      expect(render("one.hbs", { name: "a b" }, dir)).toBe('"a b" = "a b";\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
