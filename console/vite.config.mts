// Vite build of the console: served by the app under /api/console/, so every asset URL is relative to that base.
// Everything (Preact, ECharts) is bundled into console/dist — no CDN at run time.
import { defineConfig } from "vite";

export default defineConfig({
  base: "/api/console/",
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500, sourcemap: false },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
});
