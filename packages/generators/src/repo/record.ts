// The record of what the generators wrote (gen-record.json, committed): per
// entity its generator, its answers (never a secret's value), its files and
// the git blob id of each template it rendered, so `gen update` can render
// the old output again and merge the template's change into the fork. Keys
// are sorted and each entity stands on lines of its own, so runs on two
// branches touch different lines and git merges them.
import { createHash } from "node:crypto";
import type { FileChange, RepoView, Tree } from "./tree.js";
import { GenError } from "../report/errors.js";

export const RECORD_FILE = "gen-record.json";

/** Where a template's rendered text lives: a whole file, or a fragment found by structure inside a shared one. */
export type Fragment =
  | { kind: "flake-entry"; output: "nixosConfigurations" | "darwinConfigurations" | "homeConfigurations"; key: string }
  | { kind: "user-block"; user: string };

export interface RenderedTemplate {
  /** templates/-relative name (`user/home-shared.nix.hbs`). */
  template: string;
  /** git blob id of the template's text when it was rendered. */
  blob: string;
  file: string;
  fragment?: Fragment;
}

interface Entity {
  generator: "host" | "user" | "deploy" | "secret";
  /** The template data, resolved: every value the templates read. */
  answers: Record<string, unknown>;
  /** Files the entity wrote or edited. */
  files: string[];
  templates: RenderedTemplate[];
}

export interface GenRecord {
  /** `host/<h>`, `user/<h>/<u>`, `home/<u>` (a standalone home), `deploy/<h>`. */
  entities: Record<string, Entity>;
}

/** One template render, as a planner makes it. */
export interface Render {
  template: string;
  data: Record<string, unknown>;
  /** The template's text when rendered (for its blob id). */
  source: string;
  /** The file it went to, where the template name and data do not say (a reuse home's --from). */
  file?: string;
}

/** `git hash-object` of `text`: sha1 of `blob <bytes>\0<bytes>`, 40 hex digits. */
export function blobId(text: string): string {
  const body = Buffer.from(text, "utf8");
  return createHash("sha1").update(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body])).digest("hex");
}

/**
 * Which entity a render belongs to and where its text went, from the
 * template and its data: the one table of "which template ends in which
 * file". undefined: not recorded (the hardware placeholder is meant to be
 * replaced by the machine's own config, never merged into).
 */
function placeRender(r: Render): { entity: string; generator: Entity["generator"]; target: Omit<RenderedTemplate, "template" | "blob"> } | undefined {
  const d = r.data as Record<string, string>;
  const host = d.hostName;
  const user = d.userName;
  switch (r.template) {
    case "host/configuration.nix.hbs":
    case "host/darwin-configuration.nix.hbs":
      return { entity: `host/${host}`, generator: "host", target: { file: `hosts/${host}/configuration.nix` } };
    case "host/flake-host.entry.hbs":
    case "host/flake-darwin.entry.hbs": {
      const output = r.template === "host/flake-host.entry.hbs" ? "nixosConfigurations" : "darwinConfigurations";
      return { entity: `host/${host}`, generator: "host", target: { file: "flake.nix", fragment: { kind: "flake-entry", output, key: host! } } };
    }
    case "host/hardware-configuration.nix.hbs":
      return undefined;
    case "host/deployment.nix.hbs":
      return { entity: `deploy/${host}`, generator: "deploy", target: { file: `hosts/${host}/deployment.nix` } };
    case "user/account.block.hbs":
    case "user/account-darwin.block.hbs":
      return { entity: `user/${host}/${user}`, generator: "user", target: { file: `hosts/${host}/configuration.nix`, fragment: { kind: "user-block", user: user! } } };
    case "user/home-shared.nix.hbs":
    case "user/home-separate.nix.hbs":
    case "user/home-reuse.nix.hbs":
      return { entity: `user/${host}/${user}`, generator: "user", target: { file: `hosts/${host}/home/${user}.nix` } };
    case "user/standalone-home.nix.hbs":
      return { entity: `home/${user}`, generator: "user", target: { file: r.file ?? `nix/${user}/home.nix` } };
    case "user/flake-home.entry.hbs": {
      const [name, onHost] = String(d.configName).split("@");
      const fragment: Fragment = { kind: "flake-entry", output: "homeConfigurations", key: String(d.configName) };
      return { entity: onHost ? `user/${onHost}/${name}` : `home/${name}`, generator: "user", target: { file: "flake.nix", fragment } };
    }
    default:
      throw new Error(`the record has no place for template ${r.template}: add it to placeRender`);
  }
}

function emptyRecord(): GenRecord {
  return { entities: {} };
}

/**
 * Adds the entities of one run (a generator's renders) to `record`,
 * replacing what it said of them before; returns the new record.
 */
export function recordRun(record: GenRecord, renders: readonly Render[], files: readonly string[] = []): GenRecord {
  const entities = { ...record.entities };
  const fresh = new Map<string, Entity>();
  for (const r of renders) {
    const placed = placeRender(r);
    if (!placed) continue;
    const entity = fresh.get(placed.entity) ?? { generator: placed.generator, answers: {}, files: [], templates: [] };
    for (const [k, v] of Object.entries(r.data)) {
      if (k in entity.answers && JSON.stringify(entity.answers[k]) !== JSON.stringify(v)) {
        throw new Error(`${placed.entity}'s templates disagree on ${k}: report this`);
      }
      entity.answers[k] = v;
    }
    entity.templates = entity.templates.filter((t) => t.file !== placed.target.file || JSON.stringify(t.fragment) !== JSON.stringify(placed.target.fragment));
    entity.templates.push({ template: r.template, blob: blobId(r.source), ...placed.target });
    entity.files = [...new Set([...entity.files, placed.target.file])];
    fresh.set(placed.entity, entity);
  }
  for (const [id, entity] of fresh) {
    // A host's other files (the hardware config) belong to it though no template of theirs is followed.
    const extra = files.filter((f) => (id.startsWith("host/") ? f.startsWith(`hosts/${id.slice(5)}/`) && !f.includes("/home/") && !f.endsWith("/deployment.nix") : false));
    entity.files = [...new Set([...entity.files, ...extra])].sort();
    const order = (t: RenderedTemplate) => `${t.file}\0${t.template}\0${JSON.stringify(t.fragment ?? {})}`;
    entity.templates.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
    entities[id] = entity;
  }
  return { entities };
}

/** `record` without the entity `id` (and, for a host, without all it holds: its users and deployment). */
export function removeEntity(record: GenRecord, id: string): GenRecord {
  const host = /^host\/(.+)$/.exec(id)?.[1];
  const gone = (key: string) => key === id || (host !== undefined && (key.startsWith(`user/${host}/`) || key === `deploy/${host}`));
  return { entities: Object.fromEntries(Object.entries(record.entities).filter(([key]) => !gone(key))) };
}

/** `record` without user `name` on `hosts` (every host and the standalone home when `hosts` is empty), as gen remove user does. */
export function removeUser(record: GenRecord, name: string, hosts: readonly string[]): GenRecord {
  const keys = Object.keys(record.entities).filter((k) => {
    const m = /^user\/([^/]+)\/(.+)$/.exec(k);
    if (m) return m[2] === name && (hosts.length === 0 || hosts.includes(m[1]!));
    return hosts.length === 0 && k === `home/${name}`;
  });
  return keys.reduce(removeEntity, record);
}

/** The record in the fork, or an empty one. */
export function readRecord(repo: RepoView): GenRecord {
  const text = repo.read(RECORD_FILE);
  if (text === undefined) return emptyRecord();
  try {
    const parsed = JSON.parse(text) as Partial<GenRecord>;
    if (typeof parsed.entities !== "object" || parsed.entities === null) throw new Error("no entities");
    return { entities: parsed.entities };
  } catch (error) {
    throw new GenError(`${RECORD_FILE} is not a record pnpm gen can read (${(error as Error).message}): restore it from git (git checkout -- ${RECORD_FILE}), or resolve its merge conflict.`);
  }
}

/** Keys sorted at every level, so the same record is always the same bytes. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function formatRecord(record: GenRecord): string {
  const head = { about: "What pnpm gen generated, for `pnpm gen update`: commit it; the generators keep it up to date." };
  return JSON.stringify({ ...head, entities: sorted(record.entities) }, null, 2) + "\n";
}

/** The change that writes `record` (none when the fork already holds it, byte for byte). */
function recordChange(repo: RepoView, record: GenRecord): FileChange | undefined {
  const before = repo.read(RECORD_FILE) ?? null;
  // No entity left, no file: adding and removing a host gives back the fork byte for byte.
  const after = Object.keys(record.entities).length === 0 ? null : formatRecord(record);
  return before === after ? undefined : { path: RECORD_FILE, before, after };
}

/**
 * The one call a planner makes at its end: the runs' renders noted on
 * `tree` (renderTo) recorded in gen-record.json, in the same plan. A run
 * that rendered nothing the record follows leaves it as it is.
 */
export function recordRenders(tree: Tree, renders: readonly Render[] = tree.renders): void {
  if (!renders.some((r) => placeRender(r))) return;
  const files = tree.changes().map((c) => c.path);
  writeRecord(tree, recordRun(readRecord(tree), renders, files));
}

/** `record` written into `tree` (nothing planned when it says what the tree holds already). */
export function writeRecord(tree: Tree, record: GenRecord): void {
  const change = recordChange(tree, record);
  if (change?.after === null) tree.remove(RECORD_FILE);
  else if (change) tree.write(RECORD_FILE, change.after);
}

/**
 * An entity whose files are written by code, not by templates gen update
 * re-renders (a secret: its value never enters the record): its answers and
 * files are recorded all the same, and go with `gen remove`.
 */
export function recordEntity(tree: Tree, id: string, generator: Entity["generator"], answers: Record<string, unknown>, files: readonly string[]): void {
  const record = readRecord(tree);
  const entity: Entity = { generator, answers, files: [...new Set(files)].filter((f) => f !== RECORD_FILE).sort(), templates: [] };
  writeRecord(tree, { entities: { ...record.entities, [id]: entity } });
}

/** Changes one recorded entity's answers (a host gone from a secret's recipients), if it is recorded. */
export function updateEntity(tree: Tree, id: string, change: (answers: Record<string, unknown>) => Record<string, unknown>): void {
  const record = readRecord(tree);
  const entity = record.entities[id];
  if (entity) writeRecord(tree, { entities: { ...record.entities, [id]: { ...entity, answers: change(entity.answers) } } });
}
