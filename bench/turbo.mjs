// The Turborepo section of `pnpm bench`: pnpm test and the docs build, cold and cached.
import { log, sec, table, timed } from "./common.mjs";

/** pnpm test and the docs build through Turborepo, without and with its cache. */
export function turbo() {
  const out = [];
  const envTurbo = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", TURBO_NO_UPDATE_NOTIFIER: "1", FORCE_COLOR: "0", NO_COLOR: "1" };
  const runs = [
    ["`pnpm test` (typecheck, lint, test)", ["test"]],
    ["`pnpm turbo run build --filter=@starter/docs`", ["turbo", "run", "build", "--filter=@starter/docs"]],
  ];
  const rows = [];
  let coldTest;
  for (const [label, args] of runs) {
    for (const force of [true, false]) {
      log(`turbo: pnpm ${args.join(" ")}${force ? " --force" : ""}`);
      const run = timed("pnpm", [...args, ...(force ? ["--force"] : [])], { env: envTurbo });
      if (force && args[0] === "test") coldTest = run.ms;
      const text = run.stdout + run.stderr;
      const tasks = /Tasks:\s+(\d+) successful, (\d+) total/.exec(text);
      const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(text);
      const failed = /Failed:\s+(.+)/.exec(text)?.[1]?.trim();
      if (run.status !== 0) log(text.split("\n").slice(-30).join("\n"));
      const outcome = tasks ? `${tasks[1]}/${tasks[2]} ok` : run.status === 0 ? "ok" : "";
      rows.push([
        label,
        force ? "cold (`--force`)" : "cached",
        sec(run.ms),
        run.status === 0 ? outcome : `${outcome} FAILED${failed ? `: ${failed}` : ` (exit ${run.status})`}`.trim(),
        cached ? `${cached[1]}/${cached[2]}` : "?",
      ]);
    }
  }
  out.push(
    "## Turborepo",
    "",
    "Wall time of each command at the root: cold ignores Turborepo's cache (`--force`: every task runs, though tools keep their own caches, such as Docusaurus' Rspack cache in node_modules/.cache), cached runs it again right after with nothing changed.",
    "",
    table(["Command", "Cache", "Time", "Tasks", "From cache"], rows),
    "",
    coldTest === undefined ? "" : `Target ${coldTest <= 40_000 ? "met" : "missed"}: a cold \`pnpm test\` took ${sec(coldTest)} (at most 40 s wanted on 2 cores).`,
    "",
  );
  return out.join("\n");
}
