import { expect, it } from 'vitest';
import { runTs } from './helpers.js';

it('npm start: the demo marks, strips, re-encodes as JPEG q75 and recovers the label from the watermark', { timeout: 60_000 }, async () => {
  const { code, stdout } = await runTs(['src/demo/main.ts']);
  expect(code).toBe(0);
  expect(stdout).toMatch(/metadata label left in the file: none/);
  expect(stdout).toMatch(/matches the original: ProduceID yes, producer yes/);
  expect(stdout).toMatch(/verdict\s+Label 1 \(basis: watermark\)/);
});
