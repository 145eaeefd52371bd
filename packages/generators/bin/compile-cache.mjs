// Keeps V8's compiled code for the CLI's CommonJS files between runs, so a
// run does not parse and compile the same bundle again: Node 22's
// module.enableCompileCache() does this, Node 20 has no such switch. Written
// by hand because v8-compile-cache, the library for it, takes over every
// CommonJS file of the process, keeps its cache in the shared temp folder
// and breaks import() in what it compiles. Here a file that holds `import(`
// is left to Node: a vm.Script's import() needs a callback that Node 20
// calls experimental (it warns) and that code from a cache loses.
//
// Each file's cache is named for its path, size and mtime, so an edited or
// rebuilt file never meets the old code (V8 itself checks only the length);
// V8 rejects a cache of another Node or other flags, and the file is then
// compiled as usual. Caches are written at exit, each to a temp file then
// renamed, so runs side by side never read half a file; a folder that cannot
// be written (a read-only install, a full disk) only means no cache.
import Module, { createRequire } from "node:module";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import vm from "node:vm";

/** Where the cache of `filename` (a file below `root`) lives in `dir`, for its current contents. */
function cachePath(dir, root, filename) {
  const { size, mtimeMs } = statSync(filename);
  return join(dir, `${relative(root, filename).split(sep).join("__")}.${size}.${Math.round(mtimeMs * 1000)}.v8`);
}

function read(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Compiles the CommonJS files below `root` that this process loads from here
 * on with V8's cached code from `dir`, and writes the caches that were
 * missing or rejected when the process exits. Returns what happened so far,
 * for the tests: the files compiled with a cache, and those without.
 */
export function useCompileCache(root, dir) {
  const seen = { cached: [], compiled: [] };
  const pending = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    if (!filename.startsWith(root + sep) || content.includes("import(")) return compile.call(this, content, filename);
    const path = cachePath(dir, root, filename);
    const cachedData = read(path);
    const script = new vm.Script(Module.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    if (cachedData && !script.cachedDataRejected) seen.cached.push(filename);
    else {
      seen.compiled.push(filename);
      pending.push({ script, path });
    }
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename));
  };
  process.once("exit", () => {
    // Only the owner of the files writes their caches: `sudo pnpm gen` must
    // not leave root's files in dist/, which the next build could not remove.
    if (pending.length === 0 || statSync(root).uid !== process.getuid?.()) return;
    // At exit the cache holds the functions this run compiled, not just the top level.
    for (const { script, path } of pending) {
      const temp = `${path}.${process.pid}.tmp`;
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, path);
      } catch {
        // No cache this time (nor half a file); the next run compiles again.
        try {
          rmSync(temp, { force: true });
        } catch {
          // There is no folder to hold it either.
        }
      }
    }
  });
  return seen;
}

/** Loads the CommonJS file `entry` (below `root`) with the compile cache in `dir`. */
export function requireCached(entry, root, dir) {
  useCompileCache(root, dir);
  return createRequire(import.meta.url)(entry);
}
