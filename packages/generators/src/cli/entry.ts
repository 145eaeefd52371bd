// The executable side of cli/main.ts (bin/gen.mjs imports this).
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
