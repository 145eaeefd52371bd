// A compact unified diff for --dry-run. Generated edits are insertions in
// one place, so trimming the common head and tail gives an exact hunk; for
// anything else it is still correct, only less tight.

export function unifiedDiff(path: string, before: string | null, after: string, context = 2): string {
  const a = before === null ? [] : splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const from = Math.max(0, head - context);
  const aEnd = a.length - tail;
  const bEnd = b.length - tail;
  const aStop = Math.min(a.length, aEnd + context);
  const bStop = Math.min(b.length, bEnd + context);
  const lines = [
    `--- ${before === null ? "/dev/null" : "a/" + path}`,
    `+++ b/${path}`,
    `@@ -${a.length === 0 ? 0 : from + 1},${aStop - from} +${from + 1},${bStop - from} @@`,
    ...a.slice(from, head).map((l) => " " + l),
    ...a.slice(head, aEnd).map((l) => "-" + l),
    ...b.slice(head, bEnd).map((l) => "+" + l),
    ...b.slice(bEnd, bStop).map((l) => " " + l),
  ];
  return lines.join("\n");
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
