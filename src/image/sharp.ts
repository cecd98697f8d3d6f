// sharp (libvips, about 30 MB resident and tens of ms to load) is loaded on first use, so
// audio work and the CLI's --version and --help never pay for it.
import type sharpModule from 'sharp';

export type Sharp = typeof sharpModule;

const setups: ((sharp: Sharp) => void)[] = [];
let loading: Promise<Sharp> | null = null;

export function loadSharp(): Promise<Sharp> {
  loading ??= import('sharp').then(({ default: sharp }) => {
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
