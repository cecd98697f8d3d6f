// Browser bundle: one ES module of the universal entry (src/index.ts) in dist/browser/aigc-mark.js,
// with core.simd.wasm and core.scalar.wasm beside it, plus the demo page from web/.
//
// The loader fetches `new URL(`./${fileName}`, import.meta.url)`. Left alone, Vite turns that
// template into an import.meta.glob of every file in src/wasm/ (its .ts sources included) and,
// in library mode, inlines each as a data: URL. We mark that one expression /* @vite-ignore */ so
// it resolves at run time, like the Node build, and put the two cores next to the bundle.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist/browser');
const loader = join(root, 'src/wasm/core.ts').replaceAll('\\', '/');
const WASM_URL = /new\s+URL\(\s*(?:\/\*\s*@vite-ignore\s*\*\/\s*)?(`\.\/\$\{fileName\}`\s*,\s*import\.meta\.url\s*)\)/;

/** Keeps Vite's asset plugin off the loader's run-time wasm URL; fails loudly if the loader changed. */
const runtimeWasmUrl = {
  name: 'aigc-mark:runtime-wasm-url',
  enforce: 'pre',
  transform(code, id) {
    if (id.split('?')[0].replaceAll('\\', '/') !== loader) return null;
    if (!WASM_URL.test(code)) {
      this.error('src/wasm/core.ts no longer has new URL(`./${fileName}`, import.meta.url); update scripts/build-browser.mjs');
    }
    return { code: code.replace(WASM_URL, (_, args) => `new URL(/* @vite-ignore */ ${args})`), map: null };
  },
};

for (const flavor of ['simd', 'scalar']) {
  if (!existsSync(join(root, `src/wasm/core.${flavor}.wasm`))) {
    console.error(`src/wasm/core.${flavor}.wasm is missing: run npm run build:wasm first.`);
    process.exit(1);
  }
}

await build({
  root,
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  plugins: [runtimeWasmUrl],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    minify: true,
    reportCompressedSize: false,
    lib: {
      entry: join(root, 'src/index.ts'),
      formats: ['es'],
      fileName: () => 'aigc-mark.js',
    },
    rollupOptions: {
      // One file: the run-time wasm URL is relative to it.
      output: { codeSplitting: false },
    },
  },
});

mkdirSync(outDir, { recursive: true });
for (const flavor of ['simd', 'scalar']) {
  copyFileSync(join(root, `src/wasm/core.${flavor}.wasm`), join(outDir, `core.${flavor}.wasm`));
}
// The demo page (plain HTML + JS) imports ./aigc-mark.js.
const web = join(root, 'web');
if (existsSync(web)) {
  for (const name of readdirSync(web)) {
    if (statSync(join(web, name)).isFile()) copyFileSync(join(web, name), join(outDir, name));
  }
}
// The universal entry must not reach for Node: name any module that does (the browser interop test fails on it too).
let module = '?';
for (const line of readFileSync(join(outDir, 'aigc-mark.js'), 'utf8').split('\n')) {
  const header = /^\/\/ (src\/\S+)$/.exec(line);
  if (header) module = header[1];
  else if (/\b(?:process\.|Buffer\.|require\(|__dirname|from ["']node:)/.test(line)) {
    console.warn(`warning: ${module} uses a Node-only global, which browsers lack: ${line.trim().slice(0, 100)}`);
  }
}
// The entry supplies the XMP scanner's validator through a side-effect import, which tree-shaking
// drops if package.json's sideEffects stops naming it: label a 1x1 PNG through the bundle.
const bundle = await import(pathToFileURL(join(outDir, 'aigc-mark.js')).href);
const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer();
const labelled = bundle.writeMetadataLabel(new Uint8Array(png), bundle.createLabel({ producer: 'BUILDCHECK' }));
if (bundle.readMetadataLabel(labelled)?.ContentProducer !== 'BUILDCHECK') {
  console.error('dist/browser/aigc-mark.js cannot write and read back a metadata label.');
  process.exit(1);
}
const size = (name) => `${(statSync(join(outDir, name)).size / 1024).toFixed(1)} KiB`;
console.log(
  `dist/browser: aigc-mark.js ${size('aigc-mark.js')}, core.simd.wasm ${size('core.simd.wasm')}, core.scalar.wasm ${size('core.scalar.wasm')}`,
);
