// Read access to a repository, and an in-memory overlay that collects the
// writes a generator plans, so planning never touches the disk.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** A read-only view of a checkout (or of files in memory). Paths are repo-relative with `/`. */
export interface RepoView {
  /** The file's text, or undefined when there is no such file. */
  read(path: string): string | undefined;
  /** Names of the directories directly in `path` (empty when it does not exist). */
  listDir(path: string): string[];
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
  };
}

/** One planned file change. `before` is null for a new file. */
export interface FileChange {
  path: string;
  before: string | null;
  after: string;
}

/** A repository with pending writes on top; reads see the pending content. */
export class Tree implements RepoView {
  private readonly pending = new Map<string, string>();

  constructor(private readonly base: RepoView) {}

  read(path: string): string | undefined {
    return this.pending.get(path) ?? this.base.read(path);
  }

  listDir(path: string): string[] {
    const dirs = new Set(this.base.listDir(path));
    const prefix = path.replace(/\/$/, "") + "/";
    for (const file of this.pending.keys()) {
      if (file.startsWith(prefix)) {
        const rest = file.slice(prefix.length).split("/");
        if (rest.length > 1) dirs.add(rest[0]!);
      }
    }
    return [...dirs].sort();
  }

  write(path: string, content: string): void {
    this.pending.set(path, content);
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
