// What the browser tests of the built site use: finding a Chromium, serving
// build/ as GitHub Pages does, and reading pages (contrast, themes).
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { delimiter, extname, join, normalize } from "node:path";
import type { Page } from "playwright-core";
import { baseUrl } from "../site-config.mjs";
import { BUILD_DIR } from "./site.js";

const BASE = baseUrl();

const isExecutable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

// The headless shell first: Playwright's own choice for headless runs, and
// about a fifth less CPU than the full browser for the same tests.
const NAMES = ["chromium-headless-shell", "chromium", "chromium-browser"];

/** The Chromium to drive: CHROMIUM_PATH, Debian's in /usr/bin, or one on PATH (as `nix develop` provides). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): { path?: string; reason?: string } {
  const given = env.CHROMIUM_PATH?.trim();
  if (given) return isExecutable(given) ? { path: given } : { reason: `CHROMIUM_PATH is ${given}, which is not an executable file` };
  for (const dir of ["/usr/bin", ...(env.PATH ?? "").split(delimiter).filter(Boolean)]) {
    for (const name of NAMES) {
      if (isExecutable(join(dir, name))) return { path: join(dir, name) };
    }
  }
  return { reason: "no chromium-headless-shell or chromium in /usr/bin or on PATH, and CHROMIUM_PATH is not set" };
}

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
export function serveBuild(): Promise<Server> {
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
    // Hashed assets may be cached, as GitHub Pages lets them be: a context's
    // later pages then reuse the scripts Chromium already fetched and compiled.
    const cache = path.startsWith("assets/") ? { "cache-control": "public, max-age=3600" } : {};
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", ...cache }).end(readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

/** Every page of the built site, as paths under the base URL, from its sitemap. */
export function sitemapPaths(): string[] {
  const xml = readFileSync(join(BUILD_DIR, "sitemap.xml"), "utf8");
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1] ?? "").pathname).sort();
}

/** One comment token: its text and its contrast against what is behind it. */
export interface CommentContrast {
  text: string;
  ratio: number;
}

/**
 * WCAG contrast of every Prism comment token on the page, from computed
 * styles: the text colour against the backgrounds behind it, translucent ones
 * (such as a highlighted line's) composited over the opaque ones below.
 */
export function commentContrasts(page: Page): Promise<CommentContrast[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const n = css.match(/[\d.]+/g)?.map(Number) ?? [];
      return [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0, css.startsWith("rgba") ? (n[3] ?? 1) : 1];
    };
    const over = (top: Rgba, below: Rgba): Rgba => {
      const a = top[3] + below[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: number) => (top[i]! * top[3] + below[i]! * below[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const luminance = ([r, g, b]: Rgba) => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const background = (el: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) layers.push(parse(getComputedStyle(e).backgroundColor));
      // From the page's base (white when nothing is opaque) up to the element.
      return layers.reverse().reduce<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
    };
    return Array.from(document.querySelectorAll(".theme-code-block .token.comment")).map((el) => {
      const bg = background(el);
      const fg = over(parse(getComputedStyle(el).color), bg);
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x) as [number, number];
      return { text: el.textContent ?? "", ratio: (hi + 0.05) / (lo + 0.05) };
    });
  });
}

/** Waits until React has hydrated the page (Docusaurus marks <html>): the colour mode and Prism theme are applied by then. */
const hydrated = (p: Page) => p.waitForFunction(() => document.documentElement.dataset.hasHydrated === "true");

/** The built HTML file of a path under the base URL, as serveBuild finds it. */
function builtFile(path: string): string {
  const rel = path.slice(BASE.length).replace(/\/$/, "");
  const file = [join(BUILD_DIR, `${rel}.html`), join(BUILD_DIR, rel, "index.html")].find((f) => existsSync(f));
  if (!file) throw new Error(`${path} is not a page of the build`);
  return file;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" };

/** The <title> the build gives a page: what the client-side router sets once it has rendered it. */
export function builtTitle(path: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/.exec(readFileSync(builtFile(path), "utf8"))?.[1];
  if (title === undefined) throw new Error(`${builtFile(path)} has no <title>`);
  return title.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ENTITIES[e] ?? "");
}

/**
 * Opens url as a reader following one of the site's links does: the
 * client-side router renders it in the page already open, with no reload. It
 * renders what a load hydrates (the same React tree) for about a third of a
 * load's CPU, as the bundle is not evaluated and hydrated again. A page not yet
 * on the site (a new tab) loads url instead. Resolves once the page is
 * rendered and hydrated (the router has set its built <title>).
 */
export async function openInApp(p: Page, url: string): Promise<void> {
  const to = new URL(url);
  if (p.url() === "about:blank" || new URL(p.url()).origin !== to.origin) {
    await p.goto(url);
    return void (await hydrated(p));
  }
  await hydrated(p);
  const title = builtTitle(to.pathname);
  await p.evaluate((path) => {
    history.pushState(null, "", path);
    dispatchEvent(new PopStateEvent("popstate"));
  }, to.pathname);
  await p.waitForFunction(([path, want]) => location.pathname === path && document.title === want, [to.pathname, title] as const);
}

export type Theme = "light" | "dark";
export const THEMES: readonly Theme[] = ["light", "dark"];

/**
 * Opens url with the system in `first`'s colour scheme (a load, or with the
 * client-side router when inApp) and runs check once hydrated, then switches
 * the system to the other scheme and, once the site has followed (<html
 * data-theme>, set after React re-rendered the code blocks' Prism theme), runs
 * check again.
 */
export async function inBothThemes(p: Page, url: string, first: Theme, check: (scheme: Theme) => Promise<void>, { inApp = false } = {}): Promise<void> {
  for (const [i, scheme] of (first === "light" ? THEMES : [...THEMES].reverse()).entries()) {
    await p.emulateMedia({ colorScheme: scheme });
    if (i === 0) await (inApp ? openInApp(p, url) : p.goto(url));
    await hydrated(p);
    await p.waitForFunction((want) => document.documentElement.dataset.theme === want, scheme);
    await check(scheme);
  }
}
