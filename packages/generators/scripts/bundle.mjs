// The CLI as bin/gen.mjs loads it: tsc's dist/ bundled into CommonJS chunks
// in dist/bundle/, split where the CLI loads a generator lazily, so a dry run
// of gen host loads 24 files instead of about sixty modules
// (bench/startup.mjs measures the difference). CommonJS because Node 20
// loads it synchronously, without the ES module loader's per-file steps,
// and because bin/compile-cache.mjs can then keep V8's compiled code for it.
// It require()s @starter/nix-check, an ES module: Node does that without a
// flag from 20.19 and 22.12 on, hence package.json's engines. Packages that
// find their own files through import.meta.url (the nix-check index and its
// stubs, Handlebars, Plop) stay outside. dist/bundle/ sits as deep as every
// dist/<folder>/ of tsc's, so the paths that src/ builds from import.meta.url
// (templates/, fixtures/) come out the same.
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
rmSync(join(dist, "bundle"), { recursive: true, force: true });
await build({
  input: join(dist, "cli", "entry.js"),
  platform: "node",
  external: [/^node:/, "@starter/nix-check", "handlebars", "node-plop"],
  logLevel: "warn",
  output: {
    dir: join(dist, "bundle"),
    format: "cjs",
    entryFileNames: "[name].cjs",
    chunkFileNames: "[name]-[hash].cjs",
  },
});
