// In-process runs check what they write with the real Nix parser, and many
// tests plan the same files on the same starter: about a third of the nix
// project's parses repeat one already made. nix-instantiate --parse gives the
// same answer for the same files, so each distinct set is parsed once per
// worker. Only answers about the files are kept: a Nix that cannot run
// ("environment") is asked again, and so is a run in another environment.
// Spawned CLIs never see this module; it is the tests' own.
import type * as Parse from "@starter/nix-check/parse";
import { vi } from "vitest";

vi.mock("@starter/nix-check/parse", async (importOriginal) => {
  const real = await importOriginal<typeof Parse>();
  const known = new Map<string, ReturnType<typeof real.parseNixSources>>();
  const parseNixSources: typeof real.parseNixSources = (files) => {
    // The whole environment too: a test that sets NIX_STATE_DIR, or puts
    // another nix-instantiate first on PATH, asks Nix again.
    const key = JSON.stringify([process.env, files.map((f) => [f.path, f.content])]);
    const seen = known.get(key);
    if (seen) return seen;
    const result = real.parseNixSources(files);
    if (result.ok || result.kind === "parse") known.set(key, result);
    return result;
  };
  return { ...real, parseNixSources };
});
