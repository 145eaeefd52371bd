// The next step every new host shares, with or without a disk layout.

/** Lets the flake see what the run wrote: flakes read only the files git tracks. */
export function trackStep(paths: readonly string[]): string {
  return `Let the flake see the new files (flakes only read files git tracks): git add ${paths.join(" ")}`;
}
