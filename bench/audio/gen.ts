import { buildCorpus } from './corpus.js';
const t = performance.now();
const clips = buildCorpus(process.argv[2] !== 'short');
console.log(clips.map((c) => `${c.name} (${c.kind}, ${c.seconds} s)`).join('\n'), `\n${((performance.now() - t) / 1000).toFixed(1)} s`);
