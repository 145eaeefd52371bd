// Read access to a repository, and an in-memory overlay that collects the
// writes a generator plans, so planning never touches the disk.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Render } from "./record.js";

/** A read-only view of a checkout (or of files in memory). Paths are repo-relative with `/`. */
export interface RepoView {
  /** The file's text, or undefined when there is no such file. */
  read(path: string): string | undefined;
  /** Names of the directories directly in `path` (empty when it does not exist). */
  listDir(path: string): string[];
  /** Names of the other entries (files, links) directly in `path` (empty when it does not exist). */
  listFiles(path: string): string[];
}

/** Every file below `dir`, repo-relative, sorted. */
export function filesBelow(repo: RepoView, dir: string): string[] {
  const out = repo.listFiles(dir).map((f) => `${dir}/${f}`);
  for (const sub of repo.listDir(dir)) out.push(...filesBelow(repo, `${dir}/${sub}`));
  return out.sort();
}

export function fsRepo(root: string): RepoView {
  return {
    read(path) {
      const abs = join(root, path);
      return existsSync(abs) ? readFileSync(abs, "utf8") : undefined;
    },
    listDir(path) {
      try {
        return readdirSync(join(root, path), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
          .sort();
      } catch {
        return [];
      }
    },
    listFiles(path) {
      try {
        return readdirSync(join(root, path), { withFileTypes: true })
          .filter((e) => !e.isDirectory())
          .map((e) => e.name)
          .sort();
      } catch {
        return [];
      }
    },
  };
}

export function memoryRepo(files: Record<string, string>): RepoView {
  return {
    read: (path) => files[path],
    listDir(path) {
      const prefix = path === "" ? "" : path.replace(/\/$/, "") + "/";
      const dirs = new Set<string>();
      for (const file of Object.keys(files)) {
        if (!file.startsWith(prefix)) continue;
        const rest = file.slice(prefix.length).split("/");
        if (rest.length > 1) dirs.add(rest[0]!);
      }
      return [...dirs].sort();
    },
    listFiles(path) {
      const prefix = path === "" ? "" : path.replace(/\/$/, "") + "/";
      return Object.keys(files)
        .filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes("/"))
        .map((f) => f.slice(prefix.length))
        .sort();
    },
  };
}

/** One planned file change. `before` is null for a new file, `after` null for a file removed. */
export interface FileChange {
  path: string;
  before: string | null;
  after: string | null;
}

/** How --dry-run and the confirmation name a change. */
export function changeVerb(change: FileChange): "CREATE" | "UPDATE" | "DELETE" {
  return change.before === null ? "CREATE" : change.after === null ? "DELETE" : "UPDATE";
}

/** A repository with pending writes on top; reads see the pending content. */
export class Tree implements RepoView {
  /** New content, or null for a file removed. */
  private readonly pending = new Map<string, string | null>();
  /** The templates rendered into this tree (renderTo), for the record (recordRenders). */
  readonly renders: Render[] = [];

  constructor(private readonly base: RepoView) {}

  read(path: string): string | undefined {
    const p = this.pending.get(path);
    return p === null ? undefined : (p ?? this.base.read(path));
  }

  /** Folders with at least one file left in them, base or pending. */
  listDir(path: string): string[] {
    const prefix = path.replace(/\/$/, "") + "/";
    const dirs = new Set(this.base.listDir(path).filter((d) => filesBelow(this, prefix + d).length > 0 || !this.removesBelow(prefix + d)));
    for (const [file, content] of this.pending) {
      if (content !== null && file.startsWith(prefix)) {
        const rest = file.slice(prefix.length).split("/");
        if (rest.length > 1) dirs.add(rest[0]!);
      }
    }
    return [...dirs].sort();
  }

  listFiles(path: string): string[] {
    const prefix = path.replace(/\/$/, "") + "/";
    const files = new Set(this.base.listFiles(path));
    for (const [file, content] of this.pending) {
      if (!file.startsWith(prefix) || file.slice(prefix.length).includes("/")) continue;
      if (content === null) files.delete(file.slice(prefix.length));
      else files.add(file.slice(prefix.length));
    }
    return [...files].sort();
  }

  private removesBelow(dir: string): boolean {
    for (const [file, content] of this.pending) if (content === null && file.startsWith(dir + "/")) return true;
    return false;
  }

  write(path: string, content: string): void {
    this.pending.set(path, content);
  }

  /** Plans the file's removal (a folder it leaves empty goes with it when the plan is written). */
  remove(path: string): void {
    this.pending.set(path, null);
  }

  /** The pending writes, in the order first made, skipping ones that change nothing. */
  changes(): FileChange[] {
    const out: FileChange[] = [];
    for (const [path, after] of this.pending) {
      const before = this.base.read(path) ?? null;
      if (before !== after) out.push({ path, before, after });
    }
    return out;
  }
}
