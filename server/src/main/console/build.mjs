// Bundles the console into one script and one style sheet and copies its static files:
//   npm ci && npm run build [-- OUT_DIR]
// The default OUT_DIR is the server's resources, where the bundle is committed: the Maven build only packages it,
// so building DataFlare needs no node. Rebuild and commit it after changing anything here (`mvn -Pconsole` does the
// same through Maven); CI rebuilds it and fails when the result differs from the committed files. No source maps:
// the output must be byte-identical wherever it is built.
import * as esbuild from "esbuild";
import { cpSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? `${here}/../resources/io/dataflare/server/console`);
mkdirSync(out, { recursive: true });
await esbuild.build({
  absWorkingDir: here,
  entryPoints: ["src/main.js"],
  bundle: true,
  minify: true,
  sourcemap: false,
  legalComments: "eof",
  format: "esm",
  target: "es2022",
  outfile: `${out}/console.js`,
  loader: { ".css": "css" },
  logLevel: "warning",
});
cpSync(`${here}/static`, out, { recursive: true });
console.log(`console built into ${out}`);

// axe-core for the browser test's accessibility checks (ConsoleBrowserTest injects it into the page), committed
// beside the tests for the same reason as the bundle: the Maven build needs no npm.
const axe = `${here}/../../test/resources/axe`;
mkdirSync(axe, { recursive: true });
cpSync(`${here}/node_modules/axe-core/axe.min.js`, `${axe}/axe.min.js`);
cpSync(`${here}/node_modules/axe-core/LICENSE`, `${axe}/LICENSE`);
