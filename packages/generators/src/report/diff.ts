// A unified diff for --dry-run and the snapshot tests: a line LCS, grouped
// into hunks with a few lines of context, like `diff -u`.

type Op = { kind: " " | "-" | "+"; line: string };

export function unifiedDiff(path: string, before: string | null, after: string | null, context = 2): string {
  const a = before === null ? [] : splitLines(before);
  const b = after === null ? [] : splitLines(after);
  const ops = diffLines(a, b);
  const header = [`--- ${before === null ? "/dev/null" : "a/" + path}`, `+++ ${after === null ? "/dev/null" : "b/" + path}`];
  return [...header, ...hunks(ops, context)].join("\n");
}

/**
 * Which lines of `after` (0-based) the change inserted, and how many lines
 * of `before` it removed: what the docs highlight in an edited file.
 */
export function insertedLines(before: string | null, after: string): { inserted: number[]; removed: number } {
  const inserted: number[] = [];
  let removed = 0;
  let line = 0;
  for (const op of diffLines(before === null ? [] : splitLines(before), splitLines(after))) {
    if (op.kind === "-") removed++;
    else if (op.kind === "+") inserted.push(line++);
    else line++;
  }
  return { inserted, removed };
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Line operations turning `a` into `b`: common head and tail, LCS in between. */
function diffLines(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  return [
    ...a.slice(0, head).map((line): Op => ({ kind: " ", line })),
    ...lcsOps(midA, midB),
    ...a.slice(a.length - tail).map((line): Op => ({ kind: " ", line })),
  ];
}

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // Large unrelated middles are rare here (edits insert in place); past this
  // size, show them as one replacement instead of spending memory on a table.
  if (n * m > 4_000_000) return [...a.map((line): Op => ({ kind: "-", line })), ...b.map((line): Op => ({ kind: "+", line }))];
  const width = m + 1;
  const table = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: " ", line: a[i]! });
      i++;
      j++;
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) ops.push({ kind: "-", line: a[i++]! });
    else ops.push({ kind: "+", line: b[j++]! });
  }
  while (i < n) ops.push({ kind: "-", line: a[i++]! });
  while (j < m) ops.push({ kind: "+", line: b[j++]! });
  return ops;
}

function hunks(ops: Op[], context: number): string[] {
  const out: string[] = [];
  const changed = ops.map((op, k) => (op.kind === " " ? -1 : k)).filter((k) => k >= 0);
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - context);
    let end = changed[k]!;
    while (k + 1 < changed.length && changed[k + 1]! - end <= 2 * context + 1) end = changed[++k]!;
    k++;
    const stop = Math.min(ops.length, end + context + 1);
    // Line numbers of the hunk's first line in the old and the new file.
    let oldLine = 1;
    let newLine = 1;
    for (const op of ops.slice(0, start)) {
      if (op.kind !== "+") oldLine++;
      if (op.kind !== "-") newLine++;
    }
    const body = ops.slice(start, stop);
    const oldCount = body.filter((op) => op.kind !== "+").length;
    const newCount = body.filter((op) => op.kind !== "-").length;
    out.push(`@@ -${oldCount === 0 ? oldLine - 1 : oldLine},${oldCount} +${newCount === 0 ? newLine - 1 : newLine},${newCount} @@`);
    out.push(...body.map((op) => op.kind + op.line));
  }
  return out;
}
