// The executable side of cli.ts (bin/gen.mjs imports this).
import { main } from "./cli.js";

process.exitCode = await main(process.argv.slice(2));
