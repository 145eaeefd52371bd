#!/usr/bin/env node
// Entry point of `pnpm gen`: runs the compiled CLI, rebuilding it first when
// a fresh clone or an edit of src/ left dist/ missing or stale. The check
// comes first, alone: run beside the CLI's loading, its stats slowed Node's
// own module reads (they share libuv's threads) and the run took longer.
// The CLI is CommonJS, loaded with V8's code from the last run
// (compile-cache.mjs): a run skips compiling it again.
import { join } from "node:path";
import { CLI_ENTRY, PACKAGE_DIR, ensureBuilt } from "./ensure-built.mjs";
import { requireCached } from "./compile-cache.mjs";

if (!ensureBuilt()) process.exit(1);
const dist = join(PACKAGE_DIR, "dist");
await requireCached(CLI_ENTRY, dist, join(dist, "bundle", ".v8-cache")).run();
