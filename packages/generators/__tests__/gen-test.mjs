#!/usr/bin/env node
// The CLI as tests spawn it: bin/gen.mjs plus the failures, kills and pauses
// that STARTER_GEN_CRASH_AT, STARTER_GEN_FAIL_AT and STARTER_GEN_PAUSE_MS (_AT) ask
// for (src/write/test-hooks.ts). The shipped bin never reads them.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_DIR, ensureBuilt } from "../bin/ensure-built.mjs";

if (!ensureBuilt()) process.exit(1);
const load = (file) => import(pathToFileURL(join(PACKAGE_DIR, "dist", file)).href);
const { testHooks } = await load("internals.js");
const { main } = await load("cli/main.js");
process.exitCode = await main(process.argv.slice(2), undefined, { hooks: testHooks(process.env) });
