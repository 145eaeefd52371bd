// The baseline for `pnpm bench`: the smallest useful Plop generator, one
// `add` action rendering a one-line template. bench/run.mjs times
// `plop --plopfile bench/baseline/plopfile.js --dest <tmp> one <name>`.
module.exports = function (plop) {
  plop.setGenerator("one", {
    description: "write one file from a one-line template",
    prompts: [{ type: "input", name: "name", message: "name" }],
    actions: [{ type: "add", path: "{{name}}.nix", templateFile: "one.nix.hbs" }],
  });
};
