// Reads the module system's messages out of Nix's stderr. Nix prints the
// same warning in several forms, depending on who shows it and on the Nix
// version:
// - `evaluation warning: MSG`: nixpkgs' lib.warn on Nix ≥ 2.23 (builtins.warn);
// - `trace: evaluation warning: MSG`: the same lib.warn on older Nix
//   (lib/trivial.nix falls back to builtins.trace);
// - `trace: warning: MSG` (coloured): standalone Home Manager's
//   showWarnings (modules/default.nix) and nix-darwin's (modules/system/default.nix);
// - an integrated home's warnings carry "<user> profile: " (HM nixos/common.nix).
// A message may span several lines (builtins.trace prints it as it is).
// Removed options are assertions: they end the evaluation with
// "Failed assertions:\n- MSG".

/** The option-path parts of showOption's output (`a.b."c.d"` → a, b, c.d). */
export function parseOptionPath(shown: string): string[] {
  const parts: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^."]+)/gy;
  let i = 0;
  while (i < shown.length) {
    re.lastIndex = i;
    const m = re.exec(shown);
    if (!m) return [shown];
    parts.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]!);
    i = re.lastIndex;
    if (shown[i] === ".") i++;
  }
  return parts;
}

/** The files of showFiles' output: "`a' and `b'". */
function parseFiles(shown: string): string[] {
  return [...shown.matchAll(/`([^']*)'/g)].map((m) => m[1]!);
}

export type OptionMessage =
  | { kind: "renamed"; from: string[]; to: string[]; files: string[]; user?: string; message: string }
  | { kind: "changed"; from: string[]; to: string[]; files: string[]; user?: string; message: string }
  | { kind: "removed"; from: string[]; files: string[]; user?: string; message: string }
  | { kind: "other"; user?: string; message: string };

// The wording of nixpkgs lib/modules.nix (doRename, mkMergedOptionModule, mkRemovedOptionModule).
const RENAMED = /^The option `([^']+)' defined in (`[^']*'(?: and `[^']*')*) has been renamed to `([^']+)'\./;
const CHANGED = /^The option `([^']+)' defined in (`[^']*'(?: and `[^']*')*) has been changed to `([^']+)' that has a different type\./;
const REMOVED = /^The option definition `([^']+)' in (`[^']*'(?: and `[^']*')*) no longer has any effect; please remove it\./;
const PROFILE = /^([^\s:`']+) profile: /;

/** One module-system message (warning or failed assertion) as data. */
export function classify(message: string): OptionMessage {
  let body = message.trim();
  let user: string | undefined;
  const profile = PROFILE.exec(body);
  if (profile) {
    user = profile[1];
    body = body.slice(profile[0].length);
  }
  const withUser = <T extends object>(o: T) => (user !== undefined ? { ...o, user } : o);
  const r = RENAMED.exec(body);
  if (r) return withUser({ kind: "renamed" as const, from: parseOptionPath(r[1]!), to: parseOptionPath(r[3]!), files: parseFiles(r[2]!), message: body });
  const c = CHANGED.exec(body);
  if (c) return withUser({ kind: "changed" as const, from: parseOptionPath(c[1]!), to: parseOptionPath(c[3]!), files: parseFiles(c[2]!), message: body });
  const d = REMOVED.exec(body);
  if (d) return withUser({ kind: "removed" as const, from: parseOptionPath(d[1]!), files: parseFiles(d[2]!), message: body });
  return withUser({ kind: "other" as const, message: body });
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const START = /^(?:trace: )?(?:evaluation warning|warning): ?/;
// A line that is Nix's own, not a continuation of the message before it.
const NIX_LINE = /^(?:trace: |warning: |error:|evaluation warning:|\s*… |\s*at |copying |unpacking |fetching )/;

/** Every warning message in `stderr`, each with its continuation lines, colours removed. */
export function warningMessages(stderr: string): string[] {
  const out: string[] = [];
  let current: string[] | undefined;
  const flush = () => {
    if (current) out.push(current.join("\n").replace(/\s+$/, ""));
    current = undefined;
  };
  for (const raw of stderr.replace(ANSI, "").split(/\r?\n/)) {
    const m = START.exec(raw);
    // Nix's own environment warnings (`warning: the group 'nixbld' …`) are noise, not messages.
    if (m && !/^warning: /.test(raw)) {
      flush();
      current = [raw.slice(m[0].length)];
    } else if (/^warning: /.test(raw) || NIX_LINE.test(raw)) {
      flush();
    } else if (current) current.push(raw);
  }
  flush();
  return out;
}

/** The failed assertions of an evaluation error ("Failed assertions:\n- …"), one message each. */
function failedAssertions(stderr: string): string[] {
  const lines = stderr.replace(ANSI, "").split(/\r?\n/);
  const at = lines.findIndex((l) => l.trim() === "Failed assertions:");
  if (at < 0) return [];
  const indent = /^\s*/.exec(lines[at]!)![0].length;
  const out: string[] = [];
  for (const line of lines.slice(at + 1)) {
    const body = line.slice(Math.min(indent, /^\s*/.exec(line)![0].length));
    if (body.startsWith("- ")) out.push(body.slice(2));
    else if (out.length > 0 && body.trim() !== "" && !/^\s*… /.test(line)) out[out.length - 1] += "\n" + body;
    else if (out.length > 0) break;
  }
  return out.map((m) => m.trimEnd());
}

/** The module-system messages of one evaluation's stderr: warnings, then failed assertions. */
export function optionMessages(stderr: string): OptionMessage[] {
  return [...warningMessages(stderr), ...failedAssertions(stderr)].map(classify);
}
