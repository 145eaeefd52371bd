// Search finds option names: the tokenizer extension on its own, and the
// index the build wrote, queried the way the search box queries it.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addWordPartsToTokenizer, wordParts } from "../src/search/identifier-tokens.js";
import { BUILD_DIR, requireBuild } from "./site.js";

/** The little of lunr's API these tests use (lunr ships no types). */
interface LunrIndex {
  query(build: (q: { term(word: string, options: object): void }) => void): unknown[];
}
interface LunrBuilder {
  ref(name: string): void;
  field(name: string): void;
  add(doc: object): void;
}
interface Lunr {
  (config: (this: LunrBuilder) => void): LunrIndex;
  Index: { load(serialized: object): LunrIndex };
  Query: { presence: { REQUIRED: number } };
}

// The lunr the search plugin builds its index with.
const lunr = createRequire(createRequire(import.meta.url).resolve("@easyops-cn/docusaurus-search-local"))("lunr") as Lunr;

const OPTION_NAMES = ["stateVersion", "home.stateVersion", "useGlobalPkgs", "home-manager.useGlobalPkgs", "mkForce", "lib.mkForce"];

/** Hits for a query typed into the search box: one term per word, lower-cased, through the search pipeline. */
function hits(index: LunrIndex, query: string): number {
  const words = query.toLowerCase().match(/[^-\s]+/g) ?? [];
  return index.query((q) => {
    for (const w of words) q.term(w, { usePipeline: true, presence: lunr.Query.presence.REQUIRED });
  }).length;
}

describe("word parts", () => {
  it("splits option names at dots and camelCase, keeping their positions", () => {
    expect(wordParts("home.stateVersion")).toEqual([
      { start: 0, text: "home" },
      { start: 5, text: "stateVersion" },
      { start: 5, text: "state" },
      { start: 10, text: "Version" },
    ]);
    expect(wordParts("useGlobalPkgs").map((p) => p.text)).toEqual(["use", "Global", "Pkgs"]);
    expect(wordParts("`lib.mkForce`,").map((p) => p.text)).toEqual(["lib", "mkForce", "mk", "Force"]);
    expect(wordParts("plain")).toEqual([]);
  });

  it("makes a lunr index find a dotted name by its last part, and by itself", () => {
    const text = "Every home sets home.stateVersion; hosts set home-manager.useGlobalPkgs and lib.mkForce.";
    const build = () =>
      lunr(function () {
        this.ref("i");
        this.field("t");
        this.add({ i: "1", t: text });
      });
    const plain = build();
    expect(hits(plain, "stateVersion")).toBe(0);
    addWordPartsToTokenizer(lunr as never);
    addWordPartsToTokenizer(lunr as never);
    const split = build();
    for (const name of OPTION_NAMES) expect(hits(split, name), name).toBe(1);
    expect(hits(split, "global pkgs")).toBe(1);
  });
});

describe("the built search index", () => {
  it("finds every option name on some page", () => {
    requireBuild();
    const file = readdirSync(BUILD_DIR).find((f) => /^search-index.*\.json$/.test(f));
    expect(file, "build/search-index*.json").toBeDefined();
    const parts = JSON.parse(readFileSync(join(BUILD_DIR, file!), "utf8")) as Array<{ index: object }>;
    const indexes = parts.map((p) => lunr.Index.load(p.index));
    for (const name of OPTION_NAMES) {
      expect(indexes.reduce((n, index) => n + hits(index, name), 0), name).toBeGreaterThan(0);
    }
  });
});
