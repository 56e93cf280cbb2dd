// Bundles the console into one script and copies its static files: `npm run build -- OUT_DIR`
// (default dist/). The Maven build passes the server's classes directory, so the JAR serves it.
import * as esbuild from "esbuild";
import { cpSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";

const out = resolve(process.argv[2] ?? "dist");
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: ["src/main.js"],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "esm",
  target: "es2022",
  outfile: `${out}/console.js`,
  loader: { ".css": "css" },
});
cpSync("static", out, { recursive: true });
console.log(`console built into ${out}`);
