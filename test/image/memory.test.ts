import { expect, it } from 'vitest';
import { createLabel, detectImage, embedImage, getCore } from '../../src/node.js';
import { texturedImage } from '../support/images.js';

it('keeps WASM memory bounded over 10,000 embed + detect calls', async () => {
  const label = createLabel({ producer: '001191440300708461136T1XGW3', produceId: 'AM0000012' });
  const rgba = texturedImage(256, 256, 2, 8);
  const core = await getCore();
  const run = async () => {
    const marked = await embedImage(rgba, 256, 256, label);
    const found = await detectImage(marked.rgba, 256, 256);
    if (!found.found) throw new Error('mark not found');
  };
  for (let i = 0; i < 20; i++) await run();
  const settled = core.exports.memory.buffer.byteLength;
  for (let i = 0; i < 10_000; i++) await run();
  expect(core.exports.memory.buffer.byteLength).toBe(settled);
}, 300_000);
