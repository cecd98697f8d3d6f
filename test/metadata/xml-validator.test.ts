// Each entry supplies fast-xml-parser's validator to the XMP scanner: the universal entry its ES
// module, Node's entry its CommonJS build, required only once a packet is checked. Each case runs
// in a fresh process from source, so no other test's registration is in play.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BROKEN = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><a></b></x:xmpmeta>';

/** Imports `entry`, then reads a malformed packet; prints whether the CommonJS build was loaded before and after, and the error. */
function readBrokenPacketThrough(entry: string): { before: boolean; after: boolean; error: string } {
  const script = `
    import { createRequire } from 'node:module';
    const cjsLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('fast-xml-parser'));
    await import(${JSON.stringify(entry)});
    const { readXmpLabelText } = await import('./src/metadata/xmp.ts');
    const before = cjsLoaded();
    let error = '';
    try { readXmpLabelText(${JSON.stringify(BROKEN)}); } catch (e) { error = e.code + ' ' + e.message; }
    console.log(JSON.stringify({ before, after: cjsLoaded(), error }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

describe('the XML validator each entry supplies', { timeout: 30_000 }, () => {
  it('Node entry: requires the CommonJS build on the first packet, and reports line and column', () => {
    const run = readBrokenPacketThrough('./src/node.ts');
    expect(run.before).toBe(false);
    expect(run.after).toBe(true);
    expect(run.error).toMatch(/^BAD_XMP .*closing tag 'a'.*\(line 1, column 40\)\.$/);
  });

  it('universal entry: the ES module, the same verdict', () => {
    const run = readBrokenPacketThrough('./src/index.ts');
    expect(run.after).toBe(false);
    expect(run.error).toMatch(/^BAD_XMP .*closing tag 'a'.*\(line 1, column 40\)\.$/);
  });
});
