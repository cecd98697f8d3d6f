// detectImage in process, this checkout against a previous build, side by side: unmarked (what a
// platform scanning uploads mostly sees, where every search runs to its end) and marked, on the
// speed bench's 1080p photo and real photos (the MATE wallpapers the image bench reads) cut to
// 1920×1080, plus a 512×512 crop and a 3840×2160 render for the full search at other sizes.
// The two builds must return the same result, field for field; the table says whether they did.
//
//   AIGC_PREVIOUS=/path/to/a/built/checkout [AIGC_PREVIOUS_NAME='what it is'] node --import tsx bench/speed/detect-image.ts [--rounds N]
import { resolve, join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { debPackageFile } from '../image/corpus.ts';
import { markdownTable, reportHeader, writeFileAtomic } from '../lib/markdown.ts';
import { median } from '../lib/stats.ts';
import { speedInputs } from './inputs.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '9' } } });
const ROUNDS = Number(values.rounds);
const PREVIOUS = process.env.AIGC_PREVIOUS ? resolve(process.env.AIGC_PREVIOUS) : null;
if (!PREVIOUS) throw new Error('Set AIGC_PREVIOUS to a built checkout (npm run build) to compare against.');

type Api = typeof import('../../src/node.ts');
const ours = (await import('../../src/node.ts')) as Api;
const previous = (await import(join(PREVIOUS, 'dist/src/node.js'))) as Api;
const label = ours.createLabel({ producer: 'BENCH0001', produceId: 'AM2Q3WC88' });

interface Input {
  name: string;
  rgba: Uint8Array;
  width: number;
  height: number;
}

const MATE = 'usr/share/backgrounds/mate';
const PHOTOS = ['Garden', 'LadyBird', 'TwoWings', 'YellowFlower', 'Wood', 'Storm', 'RainDrops', 'Dune', 'FreshFlower'];

async function cut(path: string, width: number, height: number, name: string): Promise<Input> {
  const { data } = await sharp(path).resize(width, height, { fit: 'cover' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { name, rgba: new Uint8Array(data), width, height };
}

const inputs: Input[] = [await cut(speedInputs().png, 1920, 1080, 'photo-1080p.png (speed bench)')];
for (const photo of PHOTOS) {
  const path = debPackageFile('mate-backgrounds', `${MATE}/nature/${photo}.jpg`);
  if (!path) throw new Error(`mate-backgrounds: ${photo}.jpg could not be fetched (apt-get download mate-backgrounds)`);
  inputs.push(await cut(path, 1920, 1080, `${photo}.jpg, 1920×1080`));
}
const garden = debPackageFile('mate-backgrounds', `${MATE}/nature/Garden.jpg`)!;
inputs.push(await cut(garden, 512, 512, 'Garden.jpg, 512×512'));
const render = debPackageFile('mate-backgrounds', `${MATE}/abstract/Elephants_3840x2160.jpg`);
if (render) inputs.push(await cut(render, 3840, 2160, 'Elephants_3840x2160.jpg'));

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** One call's wall and CPU milliseconds (CPU counts every thread of the process: steadier on a busy machine, a little above wall). */
async function timed(fn: () => Promise<unknown>): Promise<[number, number]> {
  const [t, c] = [performance.now(), cpuMs()];
  await fn();
  return [performance.now() - t, cpuMs() - c];
}

const rows: string[][] = [];
const ratios: Record<string, number[]> = { unmarked: [], marked: [] };
let differing = 0;
for (const input of inputs) {
  const { rgba, width, height } = input;
  const marked = (await ours.embedImage(rgba, width, height, label)).rgba;
  for (const [kind, pixels] of [['unmarked', rgba], ['marked', marked]] as const) {
    const detect = (api: Api) => () => api.detectImage(pixels, width, height);
    const [mine, theirs] = [await detect(ours)(), await detect(previous)()];
    const same = JSON.stringify(mine) === JSON.stringify(theirs);
    if (!same) differing++;
    const samples = { ours: [] as [number, number][], previous: [] as [number, number][] };
    // Interleaved, call after call, so a burst of load from the machine's other tenants slows both alike.
    for (let round = 0; round < ROUNDS; round++) {
      samples.ours.push(await timed(detect(ours)));
      samples.previous.push(await timed(detect(previous)));
    }
    const wall = (s: [number, number][]) => median(s.map((x) => x[0]));
    const cpu = (s: [number, number][]) => median(s.map((x) => x[1]));
    const ratio = wall(samples.previous) / wall(samples.ours);
    if (width === 1920) ratios[kind]!.push(ratio);
    rows.push([
      input.name, kind, mine.found ? 'found' : 'nothing', String(mine.candidates),
      wall(samples.ours).toFixed(1), wall(samples.previous).toFixed(1), ratio.toFixed(2),
      cpu(samples.ours).toFixed(1), cpu(samples.previous).toFixed(1), (cpu(samples.previous) / cpu(samples.ours)).toFixed(2),
      same ? 'yes' : 'NO',
    ]);
    console.log(rows[rows.length - 1]!.join(' | '));
  }
}

const geomean = (v: number[]) => Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length);
const md = [
  reportHeader({
    title: 'detectImage speed in process (bench/speed/detect-image.ts)',
    facts: [
      ['Command', '`AIGC_PREVIOUS=<built checkout> node --import tsx bench/speed/detect-image.ts`'],
      ['Previous', process.env.AIGC_PREVIOUS_NAME ?? `the build in ${PREVIOUS}`],
      ['Method', `detectImage on raw RGBA, public key, SIMD core; one warm-up call each, then ${ROUNDS} calls of each build in turn, call after call; medians. CPU = user + system of the whole process during the call`],
      ['Inputs', 'the speed bench\'s 1080p photo (ImageMagick plasma), the MATE nature wallpapers of the image bench (mate-backgrounds) cut to 1920×1080, a 512×512 cut, a 3840×2160 render; "marked" is each one marked by this checkout at default strength'],
      ['Same result', 'the two builds\' detections compared field for field (payload, score, bit errors, sync strength, candidates, offset, orientation, layer)'],
    ],
  }),
  `\n1920×1080, wall-time ratio previous ÷ ours (geometric mean): unmarked ${geomean(ratios.unmarked!).toFixed(2)}, marked ${geomean(ratios.marked!).toFixed(2)}. Detections that differ: ${differing} of ${rows.length}.\n`,
  markdownTable({
    headers: ['image', 'image is', 'result', 'decodes', 'ours ms', 'previous ms', 'ratio', 'ours CPU ms', 'previous CPU ms', 'CPU ratio', 'same result'],
    rows,
    align: ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  }),
  '\n- The machine was shared with other sessions while this ran: compare the two builds within a row, not rows across runs.\n',
].join('\n');
writeFileAtomic('bench/results/image-detect-speed.md', md);
console.log(`1080p ratio unmarked ${geomean(ratios.unmarked!).toFixed(2)}, marked ${geomean(ratios.marked!).toFixed(2)}; differing ${differing}`);
