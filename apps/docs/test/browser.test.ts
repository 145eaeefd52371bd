// The built site in a real browser: Debian's Chromium, driven by
// playwright-core, against the build served on 127.0.0.1. Never downloads a
// browser; the server and the browser are stopped by this file.
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCS_DIR, REPO_ROOT, setupCommands } from "../scripts/render-examples.mjs";
import { baseUrl } from "../site-config.mjs";
import { BUILD_DIR, plansToday, requireBuild } from "./site.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RESULTS_DIR = join(DOCS_DIR, "test-results");
const BASE = baseUrl();

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".xml": "application/xml",
  ".txt": "text/plain",
  ".woff2": "font/woff2",
};

/** A static server for build/ under the site's base URL, as GitHub Pages serves it. */
function serveBuild(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(BASE)) {
      res.writeHead(404).end();
      return;
    }
    path = normalize(path.slice(BASE.length)).replace(/^(\.\.[/\\])+/, "");
    const candidates = [join(BUILD_DIR, path), join(BUILD_DIR, `${path}.html`), join(BUILD_DIR, path, "index.html")];
    const file = candidates.find((c) => c.startsWith(BUILD_DIR) && existsSync(c) && statSync(c).isFile());
    if (!file) {
      res.writeHead(404, { "content-type": TYPES[".html"] }).end(readFileSync(join(BUILD_DIR, "404.html")));
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

/** What `pnpm gen user` writes for the `separate` sample today, straight from the generators. */
function separateHomeToday(): { path: string; text: string } {
  const change = plansToday()
    .get("user-separate")
    ?.changes.find((c) => c.path.includes("/home/"));
  if (!change) throw new Error("the user-separate sample writes no home file");
  return { path: change.path, text: change.after.replace(/\n$/, "") };
}

describe("the site in Chromium", () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let origin = "";
  /** Requests that tried to leave 127.0.0.1: the site must work offline. */
  const outside: string[] = [];

  beforeAll(async () => {
    requireBuild();
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium package, or set CHROMIUM_PATH.`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    server = await serveBuild();
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
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
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on("request", (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) outside.push(r.url());
    });
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

  it("opens on a landing page with the README's set-up commands", async () => {
    await page.goto(`${origin}${BASE}`);
    await expect(page.locator("h1").innerText()).resolves.toBe("NixOS + Home Manager starter");
    const expected = setupCommands(REPO_ROOT).split("\n").slice(1, -2).join("\n");
    const first = page.locator(".theme-code-block").first();
    const shown = await first.locator(".token-line").evaluateAll((lines) => lines.map((l) => l.textContent ?? "").join("\n"));
    expect(shown).toBe(expected);
    await expect(page.locator(".theme-doc-sidebar-menu a").allInnerTexts()).resolves.toContain("Migration");
    await page.screenshot({ path: join(RESULTS_DIR, "landing.png") });
    expect(outside).toEqual([]);
  });

  it("finds another page with the search box", async () => {
    await page.goto(`${origin}${BASE}patterns`);
    const input = page.locator("input.navbar__search-input");
    await input.click();
    await input.pressSequentially("migrating", { delay: 20 });
    const suggestion = page.getByRole("option").filter({ hasText: "Migrating from standalone to integrated" }).first();
    await suggestion.waitFor({ state: "visible" });
    await page.screenshot({ path: join(RESULTS_DIR, "search.png") });
    await suggestion.click();
    await page.waitForURL(/\/migration/);
    await expect(page.locator("h1").innerText()).resolves.toBe("Migrating from standalone to integrated");
    expect(outside).toEqual([]);
  });
});
