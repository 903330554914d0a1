// Bundle src/ into ../backline/static/dist/ (run by `make assets`).
import * as esbuild from "esbuild";

const outdir = "../backline/static/dist";
await esbuild.build({
  entryPoints: { app: "src/main.js", calendar: "src/calendar.js", charts: "src/charts.js", map: "src/map.js", styles: "src/main.css" },
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ["es2020"],
  outdir,
  loader: { ".woff": "file", ".woff2": "file", ".ttf": "file", ".png": "file" },
  assetNames: "fonts/[name]",
  logLevel: "info",
});
