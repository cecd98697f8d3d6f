// Inputs of the speed bench, generated with ImageMagick and sox (no third-party media):
// a photo-like 1080p PNG (16 bits per channel, as ImageMagick writes it), its 8-bit twin (as image
// generators write PNGs) and its JPEG, and loud music (peaks at -0.1 dBFS, RMS about -5.5 dBFS,
// so the limiter works throughout) of 30 s and 180 s, stereo 44.1 kHz 16-bit.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const WORK = 'bench/work/speed';

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: 'pipe' });

export interface SpeedInputs {
  png: string;
  png8: string;
  jpeg: string;
  wav30: string;
  wav180: string;
}

export function speedInputs(): SpeedInputs {
  mkdirSync(WORK, { recursive: true });
  const at = (name: string) => join(WORK, name);
  const inputs = { png: at('photo-1080p.png'), png8: at('photo-1080p-8bit.png'), jpeg: at('photo-1080p.jpg'), wav30: at('loud-30s.wav'), wav180: at('loud-180s.wav') };
  if (!existsSync(inputs.png)) sh('convert', ['-seed', '7', '-size', '1920x1080', 'plasma:fractal', '-blur', '0x1', inputs.png]);
  if (!existsSync(inputs.png8)) sh('convert', [inputs.png, '-depth', '8', inputs.png8]);
  if (!existsSync(inputs.jpeg)) sh('convert', [inputs.png, '-quality', '85', inputs.jpeg]);
  if (!existsSync(inputs.wav180)) {
    const notes = ['C3', 'E3', 'G3', 'C4', 'A3', 'F3', 'D3', 'B2'].map((n) => {
      const p = at(`note-${n}.wav`);
      sh('sox', ['-n', '-r', '44100', '-c', '1', '-b', '16', p, 'synth', '0.3', 'sawtooth', n, 'fade', 'q', '0.01', '0.3', '0.05']);
      return p;
    });
    sh('sox', [...notes, at('riff.wav')]);
    sh('sox', [at('riff.wav'), '-c', '2', at('riff-180.wav'), 'repeat', '80', 'overdrive', '10', 'trim', '0', '180']);
    sh('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', at('noise-180.wav'), 'synth', '180', 'pinknoise', 'gain', '-18']);
    sh('sox', ['-m', at('riff-180.wav'), at('noise-180.wav'), '-b', '16', inputs.wav180, 'gain', '-n', '-0.1']);
  }
  if (!existsSync(inputs.wav30)) sh('sox', [inputs.wav180, inputs.wav30, 'trim', '0', '30']);
  return inputs;
}
