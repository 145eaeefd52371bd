// Tests that spawn the CLI run the compiled dist/: build it once up front
// when src/ is newer, so no test pays for (or races on) a rebuild; and when
// templates/ is, so the renders go through the precompiled templates.
import { ensureBuilt } from "../bin/ensure-built.mjs";

export default async function setup(): Promise<void> {
  if (!ensureBuilt({ announce: false, templates: true })) throw new Error("building the generators failed (see the output above)");
}
