#!/usr/bin/env node
// Entry point of `pnpm gen`: runs the compiled CLI, rebuilding it first when
// a fresh clone or an edit of src/ left dist/ missing or stale. The check
// comes first, alone: run beside the CLI's loading, its stats slowed Node's
// own module reads (they share libuv's threads) and the run took longer.
import { CLI_ENTRY, ensureBuilt } from "./ensure-built.mjs";

if (!(await ensureBuilt())) process.exit(1);
const cli = await import(CLI_ENTRY);
await cli.run();
