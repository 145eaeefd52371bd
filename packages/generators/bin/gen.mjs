#!/usr/bin/env node
// Entry point of `pnpm gen`: runs the compiled CLI, rebuilding it first when
// a fresh clone or an edit of src/ left dist/ missing or stale.
import { CLI_ENTRY, ensureBuilt } from "./ensure-built.mjs";

if (!ensureBuilt()) process.exit(1);
await import(CLI_ENTRY);
