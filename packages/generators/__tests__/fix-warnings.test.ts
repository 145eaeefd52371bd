import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { classify, optionMessages, parseOptionPath, warningMessages } from "../src/generators/fix/warnings.js";

const recorded = readFileSync(join(import.meta.dirname, "fixtures/fix/warnings.txt"), "utf8")
  .split("\n")
  .filter((l) => !l.startsWith("# "))
  .join("\n");
const STORE = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-source/";

describe("warnings from Nix's stderr", () => {
  const messages = optionMessages(recorded);

  test("every form: evaluation warning, trace: evaluation warning, trace: warning (coloured), failed assertions", () => {
    expect(messages.map((m) => [m.kind, m.kind === "other" ? "" : m.from.join("."), "to" in m ? m.to.join(".") : "", m.user ?? ""])).toEqual([
      ["renamed", "programs.git.userName", "programs.git.settings.user.name", "alice"],
      ["renamed", "programs.git.userEmail", "programs.git.settings.user.email", "alice"],
      ["renamed", "hardware.opengl.enable", "hardware.graphics.enable", ""],
      ["renamed", "programs.git.extraConfig", "programs.git.settings", "alice"],
      ["renamed", "programs.git.delta.enable", "programs.delta.enable", ""],
      ["renamed", "programs.git.difftastic.background", "programs.git.difftastic.options.background", "bob"],
      ["changed", "qt.useGtkTheme", "qt.platformTheme", "carol"],
      ["renamed", "services.foo.bar", "services.foo.baz", ""],
      ["removed", "programs.git.difftastic.extraArgs", "", "alice"],
    ]);
  });

  test("files: one or several, colours and Nix's own warnings left out", () => {
    const difft = messages[5]!;
    expect("files" in difft && difft.files).toEqual([`${STORE}hosts/mac1/home/bob.nix`, `${STORE}modules/home/git.nix`]);
    const delta = messages[4]!;
    expect("files" in delta && delta.files).toEqual([`${STORE}nix/alice/home.nix`]);
    expect(messages.some((m) => m.message.includes("nixbld"))).toBe(false);
  });

  test("a multi-line message keeps its continuation lines; an assertion keeps its instructions", () => {
    expect(messages[7]!.message).toContain("\nThis has been done to avoid confusion");
    expect(messages[8]!.message).toBe(
      "The option definition `programs.git.difftastic.extraArgs' in `" +
        `${STORE}hosts/web1/home/alice.nix' no longer has any effect; please remove it.\n` +
        "'programs.git.difftastic.extraArgs' has been replaced by 'programs.git.difftastic.options'",
    );
  });

  test("quoted option parts, and messages that are not about options", () => {
    expect(parseOptionPath('systemd.tmpfiles.settings."/run/x".L')).toEqual(["systemd", "tmpfiles", "settings", "/run/x", "L"]);
    expect(classify("pnpm: Override nodejs-slim instead of nodejs").kind).toBe("other");
    expect(warningMessages("trace: hello\nevaluation warning: a\n  b\n")).toEqual(["a\n  b"]);
  });
});
