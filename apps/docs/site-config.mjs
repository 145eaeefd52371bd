// @ts-check
// Where the site is published. Local builds default to http://localhost/;
// the GitHub Pages workflow sets DOCS_URL and DOCS_BASE_URL for each fork, so
// nothing here names a particular repository.

/** @param {NodeJS.ProcessEnv} env */
export function siteUrl(env = process.env) {
  const url = (env.DOCS_URL ?? "").trim();
  return url === "" ? "http://localhost" : url.replace(/\/+$/, "");
}

/** @param {NodeJS.ProcessEnv} env */
export function baseUrl(env = process.env) {
  const raw = (env.DOCS_BASE_URL ?? "").trim();
  const parts = raw.split("/").filter((p) => p !== "");
  return parts.length === 0 ? "/" : `/${parts.join("/")}/`;
}
