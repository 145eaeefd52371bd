// The built site in a real browser: a Chromium from the system, driven by
// playwright-core, against the build served on 127.0.0.1. Never downloads a
// browser; the server and the browser are stopped by this file. Without a
// browser the tests are skipped with the reason, unless REQUIRE_BROWSER=1
// (CI), which makes them fail instead.
import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { RELEASE } from "@starter/generators";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCS_DIR, REPO_ROOT, setupCommands } from "../scripts/render-examples.mjs";
import { baseUrl } from "../site-config.mjs";
import { THEMES, commentContrasts, findChromium, inBothThemes, openInApp, serveBuild, sitemapPaths } from "./browser.js";
import { plansToday, requireBuild } from "./site.js";

const RESULTS_DIR = join(DOCS_DIR, "test-results");
const BASE = baseUrl();
const WCAG_AA = 4.5;

const CHROMIUM = findChromium();
const REQUIRED = process.env.REQUIRE_BROWSER === "1";
const HOW_TO_RUN = "run them, enter `nix develop`, or install Chromium (`sudo apt-get install chromium-headless-shell`, as scripts/setup.sh does), or point CHROMIUM_PATH at one";
if (!CHROMIUM.path && !REQUIRED) {
  console.warn(`Skipping the browser tests of the docs: ${CHROMIUM.reason}. To ${HOW_TO_RUN}.`);
}

/** What `pnpm gen user` writes for the `separate` sample today, straight from the generators. */
function separateHomeToday(): { path: string; text: string } {
  const change = plansToday()
    .get("user-separate")
    ?.changes.find((c) => c.path.includes("/home/"));
  if (!change || change.after === null) throw new Error("the user-separate sample writes no home file");
  return { path: change.path, text: change.after.replace(/\n$/, "") };
}

describe.skipIf(!CHROMIUM.path && !REQUIRED)("the site in Chromium", () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let origin = "";
  /** Requests that tried to leave 127.0.0.1: the site must work offline. */
  const outside: string[] = [];

  const track = (p: Page) =>
    p.on("request", (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) outside.push(r.url());
    });

  /** A page in a fresh context: its own viewport and storage (the tests set the colour scheme themselves). */
  async function freshPage(width: number): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext({ viewport: { width, height: 900 } });
    const p = await context.newPage();
    p.setDefaultTimeout(15_000);
    track(p);
    return { context, page: p };
  }

  beforeAll(async () => {
    requireBuild();
    if (!CHROMIUM.path) throw new Error(`REQUIRE_BROWSER=1, but ${CHROMIUM.reason}. To ${HOW_TO_RUN}.`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    server = await serveBuild();
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM.path,
      timeout: 30_000,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
      ],
    });
    ({ page } = await freshPage(1280));
  });

  afterAll(async () => {
    await browser?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
  });

  it("shows what the generator writes on the patterns page, highlighted as Nix", async () => {
    const expected = separateHomeToday();
    await page.goto(`${origin}${BASE}patterns`);
    await expect(page.locator("h1").innerText()).resolves.toBe("Three ways to organise homes");

    const block = page.locator(".theme-code-block").filter({ has: page.locator('[class*="codeBlockTitle"]', { hasText: expected.path }) });
    await expect(block.count()).resolves.toBe(1);
    const shown = await block.locator(".token-line").evaluateAll((lines) => lines.map((l) => l.textContent ?? "").join("\n"));
    expect(shown).toBe(expected.text);

    // Prism tokenised it: comments, strings and punctuation each have their own spans.
    const tokens = await block.locator("span.token").evaluateAll((spans) => spans.map((s) => s.className));
    expect(tokens.filter((c) => c.includes("comment")).length).toBeGreaterThan(0);
    expect(tokens.filter((c) => c.includes("string")).length).toBeGreaterThan(0);
    expect(tokens.filter((c) => !c.includes("plain")).length).toBeGreaterThan(20);
    const commentColor = await block.locator("span.token.comment").first().evaluate((el) => getComputedStyle(el).color);
    const plainColor = await block.locator("span.token.plain").first().evaluate((el) => getComputedStyle(el).color);
    expect(commentColor).not.toBe(plainColor);

    await block.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, -120));
    await page.screenshot({ path: join(RESULTS_DIR, "patterns.png") });
    expect(outside).toEqual([]);
  });

  it("opens on a landing page with the README's set-up commands and the pinned release outside code", async () => {
    await openInApp(page, `${origin}${BASE}`);
    await expect(page.locator("h1").innerText()).resolves.toBe("NixOS + Home Manager starter");
    const expected = setupCommands(REPO_ROOT).split("\n").slice(1, -2).join("\n");
    const first = page.locator(".theme-code-block").first();
    const shown = await first.locator(".token-line").evaluateAll((lines) => lines.map((l) => l.textContent ?? "").join("\n"));
    expect(shown).toBe(expected);
    await expect(page.locator(".theme-doc-sidebar-menu a").allInnerTexts()).resolves.toContain("Migration");

    // The release, as a reader sees it: in the navbar and the article, not only inside code.
    const prose = await page.evaluate(() => {
      const copy = document.body.cloneNode(true) as HTMLElement;
      copy.querySelectorAll("pre, code").forEach((code) => code.remove());
      return copy.textContent ?? "";
    });
    expect(prose).toContain(`NixOS ${RELEASE} and Home Manager ${RELEASE}`);
    await expect(page.locator(".navbar-release").innerText()).resolves.toContain(RELEASE);
    await page.screenshot({ path: join(RESULTS_DIR, "landing.png") });
    expect(outside).toEqual([]);
  });

  it("finds another page with the search box", async () => {
    await openInApp(page, `${origin}${BASE}patterns`);
    const input = page.locator("input.navbar__search-input");
    await input.click();
    await input.pressSequentially("migrating", { delay: 20 });
    const suggestion = page.getByRole("option").filter({ hasText: "Migrating from standalone to integrated" }).first();
    await suggestion.waitFor({ state: "visible" });
    await page.screenshot({ path: join(RESULTS_DIR, "search.png") });
    await suggestion.click();
    await page.waitForURL(/\/migration/);
    // The client-side router changes the URL before it renders the page: wait for the heading, then read it.
    await page.locator("h1", { hasText: "Migrating from standalone to integrated" }).waitFor({ state: "visible" });
    await expect(page.locator("h1").innerText()).resolves.toBe("Migrating from standalone to integrated");
    expect(outside).toEqual([]);
  });

  it.each(["stateVersion", "useGlobalPkgs", "home.stateVersion", "mkForce"])("finds the option name %s with the search box", async (name) => {
    await openInApp(page, `${origin}${BASE}why-integrate`);
    const input = page.locator("input.navbar__search-input");
    const suggestions = page.getByRole("option");
    // The page may still show the previous name's suggestions: clear them first.
    await input.fill("");
    await suggestions.first().waitFor({ state: "hidden" });
    await input.click();
    await input.pressSequentially(name, { delay: 10 });
    await suggestions.first().waitFor({ state: "visible" });
    const texts = await suggestions.allInnerTexts();
    expect(texts.length, `suggestions for ${name}`).toBeGreaterThan(0);
    expect(texts.some((t) => t.toLowerCase().includes(name.split(".").pop()!.toLowerCase())), texts.join(" | ")).toBe(true);
    if (name === "stateVersion") await page.screenshot({ path: join(RESULTS_DIR, "search-stateVersion.png") });
    expect(outside).toEqual([]);
  });

  it("has no code block that scrolls sideways on the landing and Setup pages at 1280 px", async () => {
    for (const path of ["", "setup"]) {
      await openInApp(page, `${origin}${BASE}${path}`);
      const wide = await page.locator("pre").evaluateAll((pres) =>
        pres.filter((pre) => pre.scrollWidth > pre.clientWidth).map((pre) => `${pre.scrollWidth} > ${pre.clientWidth}: ${(pre.textContent ?? "").slice(0, 60)}`),
      );
      expect(wide, `/${path}`).toEqual([]);
    }
  });

  // The two tests below see each page in both themes from one load: it opens
  // in one theme (they take turns, so each theme is also seen on first load),
  // then the reader's system switches to the other, as Docusaurus follows it
  // (respectPrefersColorScheme), and the page is checked again. Loads are most
  // of their time, so pages past the first two (one per theme) open in the
  // app, as a reader's click does; one tab at a time, as more only share the
  // same two cores.
  it("shows code comments at WCAG AA contrast (4.5:1) in the light and dark themes", async () => {
    const { context, page: p } = await freshPage(1280);
    try {
      for (const [i, path] of ["setup", "patterns", "troubleshooting"].entries()) {
        // After hydration, when the code blocks wear the theme's colours.
        await inBothThemes(p, `${origin}${BASE}${path}`, THEMES[i % 2]!, async (scheme) => {
          const comments = await commentContrasts(p);
          expect(comments.length, `comments on /${path}`).toBeGreaterThan(0);
          const worst = comments.reduce((a, b) => (b.ratio < a.ratio ? b : a));
          expect(worst.ratio, `/${path}, ${scheme}: "${worst.text}" at ${worst.ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(WCAG_AA);
          if (path === "setup") {
            await p.evaluate(() => document.querySelectorAll(".theme-code-block")[1]?.scrollIntoView());
            await p.screenshot({ path: join(RESULTS_DIR, `setup-1280-${scheme}.png`) });
          }
        }, { inApp: i > 1 });
      }
    } finally {
      await context.close();
    }
    expect(outside).toEqual([]);
  });

  it("fits every page on a 390 px phone in the light and dark themes: no sideways page, tables whole, the title whole", async () => {
    const { context, page: p } = await freshPage(390);
    try {
      const paths = sitemapPaths();
      expect(paths.length).toBeGreaterThan(10);
      for (const [i, path] of paths.entries()) {
        // The first page loads; the others open in it, as a reader's clicks
        // do, once the system is in their scheme and the site has followed.
        await p.emulateMedia({ colorScheme: THEMES[i % 2]! });
        await openInApp(p, `${origin}${path}`);
        await p.waitForFunction((want) => document.documentElement.dataset.theme === want, THEMES[i % 2]!);
        // Layout is the style sheets' alone: the page is measured in the theme
        // it opened in, then with <html data-theme> set to the other and back,
        // in one task, so nothing of the page's own runs in between.
        const byTheme = await p.evaluate(() => {
          const html = document.documentElement;
          const measure = () => {
            const title = document.querySelector(".navbar__title");
            const tables = Array.from(document.querySelectorAll("article table")).map((table) => {
              const box = table.closest(".table-scroll");
              const boxRect = box?.getBoundingClientRect();
              const cells = Array.from(table.querySelectorAll("tr:first-child > *")).map((c) => c.getBoundingClientRect());
              return {
                scrollsInside: box !== null && ["auto", "scroll"].includes(getComputedStyle(box).overflowX),
                // Scrolling the box shows each column whole: none is wider than
                // the box, or too narrow to read.
                everyColumnShows: boxRect !== undefined && cells.every((c) => c.width <= boxRect.width + 1 && c.width >= 32),
              };
            });
            return {
              pageScrolls: html.scrollWidth > html.clientWidth,
              titleCut: title === null || title.scrollWidth > title.clientWidth || title.getBoundingClientRect().right > window.innerWidth,
              tables,
            };
          };
          const opened = html.dataset.theme ?? "";
          const other = opened === "dark" ? "light" : "dark";
          const first = measure();
          html.dataset.theme = other;
          const second = measure();
          html.dataset.theme = opened;
          return [
            [opened, first],
            [other, second],
          ] as const;
        });
        expect(byTheme.map(([scheme]) => scheme), `${path}: the themes measured`).toEqual(i % 2 === 0 ? ["light", "dark"] : ["dark", "light"]);
        for (const [scheme, layout] of byTheme) {
          expect(layout.pageScrolls, `${path} (${scheme}) scrolls sideways`).toBe(false);
          expect(layout.titleCut, `${path} (${scheme}): the navbar title is cut off`).toBe(false);
          for (const [n, t] of layout.tables.entries()) {
            expect(t, `${path} (${scheme}), table ${n + 1}`).toEqual({ scrollsInside: true, everyColumnShows: true });
          }
        }
      }
      for (const [path, shot] of [
        ["trade-offs", "trade-offs-390"],
        ["", "landing-390"],
      ] as const) {
        await inBothThemes(p, `${origin}${BASE}${path}`, "light", async (scheme) => {
          if (path) await p.evaluate(() => document.querySelector("article table")?.scrollIntoView());
          await p.screenshot({ path: join(RESULTS_DIR, `${shot}-${scheme}.png`) });
        }, { inApp: true });
      }
    } finally {
      await context.close();
    }
    expect(outside).toEqual([]);
  }, 120_000);
});
