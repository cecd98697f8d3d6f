// Cross-checks against sox, which the npm registry cannot supply (test:interop).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudioFile, encodeAudioFile } from '../../src/audio/file.js';
import { run, workDir } from '../audio/helpers.js';

describe('WAV files from sox', () => {
  it('reads a 24-bit WAVE_FORMAT_EXTENSIBLE file from sox and writes it back byte for byte', async () => {
    const path = join(workDir, 'ext24.wav');
    const asFloat = join(workDir, 'ext24-float.wav');
    run('sox', ['-n', '-r', '48000', '-c', '2', '-b', '24', path, 'synth', '1', 'sine', '440', 'sine', '1000', 'gain', '-3']);
    run('sox', [path, '-e', 'floating-point', '-b', '32', asFloat]);
    const bytes = new Uint8Array(readFileSync(path));
    const decoded = await decodeAudioFile(bytes);
    expect(decoded.wav?.extensible).toBe(true);
    expect(decoded.wav?.bits).toBe(24);
    expect(decoded.sampleRate).toBe(48000);
    expect(decoded.channels).toHaveLength(2);
    const reference = await decodeAudioFile(new Uint8Array(readFileSync(asFloat)));
    for (let c = 0; c < 2; c++) {
      let worst = 0;
      for (let i = 0; i < decoded.channels[c].length; i += 7) worst = Math.max(worst, Math.abs(decoded.channels[c][i] - reference.channels[c][i]));
      expect(worst).toBeLessThan(1e-6);
    }
    expect(Buffer.from(await encodeAudioFile(decoded, decoded.channels)).equals(Buffer.from(bytes))).toBe(true);
  });

});
