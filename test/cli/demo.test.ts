import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

it('npm start: the demo marks, strips, re-encodes as JPEG q75 and recovers the label from the watermark', { timeout: 60_000 }, async () => {
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/main.ts'], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c ?? -1, stdout: out }));
  });
  expect(code).toBe(0);
  expect(stdout).toMatch(/metadata label left in the file: none/);
  expect(stdout).toMatch(/matches the original: ProduceID yes, producer yes/);
  expect(stdout).toMatch(/verdict\s+Label 1 \(basis: watermark\)/);
});
