// sharp (libvips, about 30 MB resident and tens of ms to load) is loaded on first use, so
// audio work and the CLI's --version and --help never pay for it.
import { createRequire } from 'node:module';
import type sharpModule from 'sharp';

export type Sharp = typeof sharpModule;

const setups: ((sharp: Sharp) => void)[] = [];
let loading: Promise<Sharp> | null = null;

export function loadSharp(): Promise<Sharp> {
  // Through require, not import(): sharp's ESM entry pulls its CommonJS dependencies (semver's
  // forty files) through Node's ESM-to-CommonJS translation, which costs a one-shot command about
  // 70 ms of CPU more than requiring the same package.
  loading ??= Promise.resolve().then(() => {
    const sharp = createRequire(import.meta.url)('sharp') as Sharp;
    for (const setup of setups) setup(sharp);
    return sharp;
  });
  return loading;
}

/** Runs `setup` on sharp once it is loaded (programs set process-wide options here; a library must not). */
export function whenSharpLoads(setup: (sharp: Sharp) => void): void {
  setups.push(setup);
  if (loading) void loading.then(setup);
}
