/**
 * The playground is static files that work from any static host and from file://:
 * `base: './'` makes every URL relative; the page's script is a classic script (an IIFE,
 * not a module: Chromium refuses module scripts and stylesheets with `crossorigin` from
 * file://) and the simulator's worker is inlined in it (a Blob URL: file:// pages may not
 * start workers from files). Workspace packages are bundled from their sources (the
 * `@paravirt/source` export condition), so no package build comes first. The dev and preview
 * servers send the cross-origin isolation headers: the page then shares memory with its
 * worker and names the partition and thread of a user module that hangs it.
 */
import { defineConfig, type Plugin } from 'vite';

/** `<script type="module" crossorigin src>` -> `<script defer src>`, and no `crossorigin` on the stylesheet. */
function classicScript(): Plugin {
  return {
    name: 'paravirt-classic-script',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: (html) => html.replace(/<script type="module" crossorigin/g, '<script defer').replace(/<link rel="stylesheet" crossorigin/g, '<link rel="stylesheet"'),
  };
}

/** Cross-origin isolation (SharedArrayBuffer in the page): nothing is loaded from elsewhere anyway. */
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  base: './',
  server: { headers: isolation },
  preview: { headers: isolation },
  resolve: { conditions: ['@paravirt/source', 'module', 'browser', 'import', 'default'] },
  worker: { format: 'iife' },
  plugins: [classicScript()],
  build: {
    target: 'es2022',
    // The simulator is large, and it is one file on purpose.
    chunkSizeWarningLimit: 4096,
    modulePreload: false,
    rollupOptions: { output: { format: 'iife', inlineDynamicImports: true } },
  },
});
