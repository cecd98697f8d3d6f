// Strength trade-off on flat content: node --import tsx bench/image/strength-tradeoff.ts
// The UI and text pages of the corpus are the only T1 failures left, all under JPEG q50 and WebP q80.
// This sweeps the `strength` option on them and measures what each step buys (exact payloads through
// those codecs) and what it costs (butteraugli), so the gap to T1 ≥ 99% is a measured trade-off.
// Writes bench/results/image-strength-tradeoff.{md,svg}.
import { join } from 'node:path';
import { ATTACKS, attackSeed } from './attacks.ts';
import { buildCorpus, loadItem } from './corpus.ts';
import { gitHead, loadEngine, PRODUCER } from './engine.ts';
import { produceIdFor } from './job.ts';
import { butteraugli } from './metrics.ts';
import { DEFAULT_RESULTS } from './report.ts';
import { consoleTable, markdownTable, reportHeader, writeFileAtomic, type Table } from '../lib/markdown.ts';
import { median } from '../lib/stats.ts';
import { linePlotSvg } from '../lib/svg.ts';

const STRENGTHS = [1, 1.15, 1.3, 1.45, 1.6];
const ATTACK_IDS = ['jpeg50-sharp', 'jpeg50-magick', 'webp80', 'jpeg75-magick'];
const CATEGORIES = new Set(['ui', 'text']);

const engine = await loadEngine();
const items = (await buildCorpus()).filter((it) => CATEGORIES.has(it.category));
const attacks = ATTACK_IDS.map((id) => ATTACKS.find((a) => a.id === id)!);

interface Cell { ba: number; ok: Record<string, boolean> }
const cells = new Map<string, Cell>(); // `${strength}/${image}`
for (const item of items) {
  const orig = await loadItem(item);
  const label = engine.createLabel({ producer: PRODUCER, produceId: produceIdFor(engine, item.id, 1) });
  for (const strength of STRENGTHS) {
    const m = await engine.embedImage(orig.data, orig.width, orig.height, label, { strength });
    const marked = { ...orig, data: m.rgba };
    const ba = (await butteraugli(orig, marked))?.pnorm3 ?? NaN;
    const ok: Record<string, boolean> = {};
    for (const a of attacks) {
      const att = await a.apply(marked, attackSeed(item.id, a.id));
      const d = await engine.detectImage(att.data, att.width, att.height);
      ok[a.id] = d.found && JSON.stringify(d.payload) === JSON.stringify(m.payload);
    }
    cells.set(`${strength}/${item.id}`, { ba, ok });
    process.stderr.write(`${item.id} ×${strength}: BA ${ba.toFixed(3)} ${ATTACK_IDS.filter((id) => !ok[id]).join(' ') || 'all ok'}\n`);
  }
}

const at = (strength: number) => items.map((it) => cells.get(`${strength}/${it.id}`)!);
const summary: Table = {
  title: `Exact payloads on ${items.length} UI and text pages, by strength`,
  headers: ['strength', ...ATTACK_IDS, 'all four', 'BA median', 'BA max'],
  rows: STRENGTHS.map((s) => {
    const row = at(s);
    const count = (id: string) => `${row.filter((c) => c.ok[id]).length}/${row.length}`;
    const bas = row.map((c) => c.ba);
    return [`×${s}`, ...ATTACK_IDS.map(count), `${row.filter((c) => ATTACK_IDS.every((id) => c.ok[id])).length}/${row.length}`, median(bas).toFixed(3), Math.max(...bas).toFixed(3)];
  }),
};
const perImage: Table = {
  title: 'Per image: butteraugli 3-norm, and the attacks (of the four) that lose the payload',
  headers: ['image', ...STRENGTHS.map((s) => `×${s}`)],
  align: ['l', ...STRENGTHS.map(() => 'l' as const)],
  rows: items.map((it) => [it.id, ...STRENGTHS.map((s) => {
    const c = cells.get(`${s}/${it.id}`)!;
    const lost = ATTACK_IDS.filter((id) => !c.ok[id]);
    return `${c.ba.toFixed(2)} ${lost.length ? `✗ ${lost.join(', ')}` : '✓'}`;
  })]),
};

const successPct = (s: number) => (100 * at(s).reduce((n, c) => n + ATTACK_IDS.filter((id) => c.ok[id]).length, 0)) / (items.length * ATTACK_IDS.length);
const svg = linePlotSvg({
  title: 'UI and text pages through JPEG q50 / WebP q80 / JPEG q75: success vs butteraugli',
  xLabel: 'butteraugli 3-norm, median over the pages',
  yLabel: 'exact payloads (%)',
  series: [{ name: 'strength ×1 … ×1.6', points: STRENGTHS.map((s) => [median(at(s).map((c) => c.ba)), successPct(s)]) }],
  yDomain: [0, 100],
  hLine: { y: 99, label: 'T1 target 99%' },
});

const md = [
  reportHeader({
    title: 'Image strength trade-off on flat content',
    facts: [
      ['Command', '`node --import tsx bench/image/strength-tradeoff.ts`'],
      ['Engine', `src/node.ts embedImage({ strength })/detectImage, public key, working tree at ${gitHead()}`],
      ['Images', `${items.map((it) => it.id).join(', ')} (the corpus's UI and text categories)`],
      ['Attacks', ATTACK_IDS.map((id) => `${id}: ${ATTACKS.find((a) => a.id === id)!.how}`).join('; ')],
      ['Butteraugli', '`butteraugli_main orig.png marked.png --pnorm 3`; the target is a corpus median ≤ 0.8 and maximum ≤ 1.3'],
    ],
  }),
  markdownTable(summary),
  '![success vs butteraugli](image-strength-tradeoff.svg)\n',
  markdownTable(perImage),
].join('\n');
writeFileAtomic(join(DEFAULT_RESULTS, 'image-strength-tradeoff.md'), md);
writeFileAtomic(join(DEFAULT_RESULTS, 'image-strength-tradeoff.svg'), svg);
process.stdout.write(consoleTable(summary) + '\n' + consoleTable(perImage));
