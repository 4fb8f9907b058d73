// Builds the dashboard into dist/, which `lantian` embeds at compile time (crates/lantian-cli/build.rs).
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // ECharts is most of the bundle; one chunk is simplest to embed and cache (hashed name).
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
    // Five pages: the air-quality dashboard, the climate, water, soil and campaigns pages.
    rollupOptions: {
      input: { main: 'index.html', climate: 'climate.html', water: 'water.html', soil: 'soil.html', campaigns: 'campaigns.html' },
    },
  },
});
