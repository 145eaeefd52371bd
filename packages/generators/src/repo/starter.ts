// The starter as shipped, frozen: what the snapshot, CLI and reference tests
// and the docs' examples plan against. A fork's own flake.nix, hosts/,
// modules/ and nix/ are its owner's data and never a fixture (they change
// with every `pnpm gen`); the fork check in @starter/nix-check validates those.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** packages/generators/fixtures/starter (the same path from src/ and dist/). */
export const STARTER_DIR = fileURLToPath(new URL("../../fixtures/starter/", import.meta.url));

/** Every file of the starter as repo-relative path → content, sorted by path. */
export function starterFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(join(STARTER_DIR, rel), { withFileTypes: true })) {
      const path = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else out[path] = readFileSync(join(STARTER_DIR, path), "utf8");
    }
  };
  walk("");
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A real `nixos-generate-config --show-hardware-config` output, the catalogue's `--hardware-config hw.nix`. */
export const SAMPLE_HARDWARE_CONFIG_PATH = fileURLToPath(new URL("../../fixtures/hardware/hw.nix", import.meta.url));

export function sampleHardwareConfig(): string {
  return readFileSync(SAMPLE_HARDWARE_CONFIG_PATH, "utf8");
}
