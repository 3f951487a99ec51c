// The web console's build: web/src -> build/web (index.html, assets/), bundled by esbuild from the npm packages
// in package-lock.json. Nothing is fetched at run time; the daemon serves build/web under GET /.
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.env.XENIA_WEB_OUT || join(here, "..", "build", "web"));
await rm(out, { recursive: true, force: true });
await mkdir(join(out, "assets"), { recursive: true });
await build({
  entryPoints: [join(here, "src", "main.js")],
  bundle: true,
  splitting: true, // noVNC, xterm.js and uPlot load when a page first needs them
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  outdir: join(out, "assets"),
  entryNames: "[name]",
  chunkNames: "chunk-[hash]",
  loader: { ".woff": "file", ".woff2": "file", ".ttf": "file" },
  logLevel: "warning",
});
await copyFile(join(here, "src", "index.html"), join(out, "index.html"));
console.log(`web console built into ${out}`);
