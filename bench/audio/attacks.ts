/** Audio attack suites A and B (docs/architecture.md), made with independent tools (sox, lame, ffmpeg). */
import { execFileSync } from 'node:child_process';

export interface Attack {
  name: string;
  suite: 'A' | 'B';
  /** Writes the attacked version of the 16-bit WAV `input` to the WAV `output` (tmp: scratch prefix). */
  apply: (input: string, output: string, tmp: string) => void;
}

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: 'pipe' });
const sox = (...args: string[]) => (i: string, o: string) => sh('sox', [i, o, ...args]);
const ffmpeg = (codecArgs: string[], ext: string) => (i: string, o: string, tmp: string) => {
  sh('ffmpeg', ['-v', 'error', '-y', '-i', i, ...codecArgs, `${tmp}.${ext}`]);
  sh('ffmpeg', ['-v', 'error', '-y', '-i', `${tmp}.${ext}`, '-c:a', 'pcm_s16le', o]);
};
const lame = (kbps: number, times = 1) => (i: string, o: string, tmp: string) => {
  let src = i;
  for (let t = 0; t < times; t++) {
    sh('lame', ['--quiet', '-b', String(kbps), src, `${tmp}.mp3`]);
    sh('lame', ['--quiet', '--decode', `${tmp}.mp3`, `${tmp}.dec${t}.wav`]);
    src = `${tmp}.dec${t}.wav`;
  }
  sh('sox', [src, o]);
};
const duration = (path: string) => Number(execFileSync('soxi', ['-D', path]).toString().trim());
const rms = (path: string) => {
  const out = execFileSync('sox', [path, '-n', 'stat'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return out.toString();
};
/** White Gaussian noise at `db` dB under the clip's RMS (global SNR). */
const noise = (db: number) => (i: string, o: string, tmp: string) => {
  const stat = execFileSync('sh', ['-c', `sox "${i}" -n stat 2>&1`]).toString();
  const level = Number(/RMS\s+amplitude:\s+([0-9.e-]+)/.exec(stat)?.[1] ?? '0.1');
  const sigma = level * 10 ** (-db / 20);
  // sox whitenoise has RMS ~0.577 at vol 1 (uniform); use 'noise' via synth then scale to sigma
  sh('sox', [i, `${tmp}.n.wav`, 'synth', 'whitenoise', 'vol', String(sigma / 0.577)]);
  sh('sox', ['-m', i, `${tmp}.n.wav`, o]);
};
const excerpt = (seconds: number) => (i: string, o: string) => {
  const d = duration(i);
  sh('sox', [i, o, 'trim', String(Math.max(0, d / 2 - seconds / 2 + 0.37)), String(seconds)]);
};
void rms;

export const ATTACKS: Attack[] = [
  { name: 'none', suite: 'A', apply: sox() },
  { name: 'mp3_128k', suite: 'A', apply: lame(128) },
  { name: 'mp3_64k', suite: 'A', apply: lame(64) },
  { name: 'mp3_32k', suite: 'A', apply: lame(32) },
  { name: 'mp3_64k_x2', suite: 'A', apply: lame(64, 2) },
  { name: 'aac_128k', suite: 'A', apply: ffmpeg(['-c:a', 'aac', '-b:a', '128k'], 'm4a') },
  { name: 'aac_64k', suite: 'A', apply: ffmpeg(['-c:a', 'aac', '-b:a', '64k'], 'm4a') },
  { name: 'opus_32k', suite: 'A', apply: ffmpeg(['-c:a', 'libopus', '-b:a', '32k'], 'opus') },
  { name: 'resample_16k', suite: 'A', apply: (i, o, t) => { sh('sox', [i, `${t}.r.wav`, 'rate', '-v', '16000']); sh('sox', [`${t}.r.wav`, o, 'rate', '-v', '44100']); } },
  { name: 'resample_8k', suite: 'A', apply: (i, o, t) => { sh('sox', [i, `${t}.r.wav`, 'rate', '-v', '8000']); sh('sox', [`${t}.r.wav`, o, 'rate', '-v', '44100']); } },
  { name: 'vol_0.5', suite: 'A', apply: sox('vol', '0.5') },
  { name: 'vol_2_clip', suite: 'A', apply: sox('vol', '2') },
  { name: 'mono', suite: 'A', apply: sox('remix', '1,2') },
  { name: 'wnoise_20dB', suite: 'A', apply: noise(20) },
  { name: 'lowpass_4k', suite: 'A', apply: sox('sinc', '-4000') },
  { name: 'lowpass_3k', suite: 'A', apply: sox('sinc', '-3000') },
  { name: 'highpass_1k', suite: 'A', apply: sox('sinc', '1000') },
  { name: 'echo_100ms', suite: 'A', apply: sox('echo', '0.8', '0.9', '100', '0.3') },
  { name: 'reverb', suite: 'A', apply: sox('reverb', '50', '50', '100') },
  { name: 'cut_3.7s', suite: 'A', apply: sox('trim', '3.7') },
  { name: 'excerpt_10s', suite: 'A', apply: excerpt(10) },
  { name: 'excerpt_5s', suite: 'A', apply: excerpt(5) },
  { name: 'tempo_1.02', suite: 'B', apply: sox('tempo', '1.02') },
  { name: 'tempo_0.98', suite: 'B', apply: sox('tempo', '0.98') },
  { name: 'speed_1.005', suite: 'B', apply: sox('speed', '1.005') },
  { name: 'speed_0.995', suite: 'B', apply: sox('speed', '0.995') },
  { name: 'speed_1.02', suite: 'B', apply: sox('speed', '1.02') },
  { name: 'speed_0.98', suite: 'B', apply: sox('speed', '0.98') },
  { name: 'pitch_+30c', suite: 'B', apply: sox('pitch', '30') },
  { name: 'pitch_-30c', suite: 'B', apply: sox('pitch', '-30') },
  { name: 'wnoise_10dB', suite: 'B', apply: noise(10) },
  { name: 'excerpt_3s', suite: 'B', apply: excerpt(3) },
  { name: 'drc_compand', suite: 'B', apply: sox('compand', '0.01,0.2', '-60,-60,-30,-15,-20,-10,0,-6', '-3', '-60', '0.05') },
  { name: 'eq_bass_treble', suite: 'B', apply: sox('bass', '+8', 'treble', '-6', 'equalizer', '2000', '1q', '-6', 'gain', '-n', '-1') },
  { name: 'polarity', suite: 'B', apply: sox('vol', '-1') },
  { name: 'chain_social', suite: 'B', apply: (i, o, t) => { sh('sox', [i, `${t}.v.wav`, 'vol', '0.7']); ffmpeg(['-c:a', 'aac', '-b:a', '64k'], 'm4a')(`${t}.v.wav`, `${t}.a.wav`, t); excerpt(10)(`${t}.a.wav`, o); } },
];

const chain = (...steps: Attack['apply'][]) => (i: string, o: string, tmp: string) => {
  let src = i;
  steps.forEach((step, n) => {
    const dst = n === steps.length - 1 ? o : `${tmp}.s${n}.wav`;
    step(src, dst, `${tmp}.s${n}`);
    src = dst;
  });
};
const aac64 = ffmpeg(['-c:a', 'aac', '-b:a', '64k'], 'm4a');
const opus64 = ffmpeg(['-c:a', 'libopus', '-b:a', '64k'], 'opus');
const mp364 = lame(64);
/** EBU R128 normalisation with ffmpeg's true-peak limiter (-1 dBTP), as streaming platforms apply it; back at 44.1 kHz. */
const loudnorm = (lufs: number) => (i: string, o: string) =>
  sh('ffmpeg', ['-v', 'error', '-y', '-i', i, '-af', `loudnorm=I=${lufs}:TP=-1:LRA=11`, '-ar', '44100', '-c:a', 'pcm_s16le', o]);

/** The attacks run on real recordings: suite A (codecs at 64 kbit/s, alone and then cut, and loudness normalisation) and suite B. */
export const REAL_ATTACKS: Attack[] = [
  { name: 'none', suite: 'A', apply: sox() },
  ...([['mp3_64k', mp364], ['aac_64k', aac64], ['opus_64k', opus64]] as const).flatMap(([name, codec]) => [
    { name, suite: 'A' as const, apply: codec },
    { name: `${name}+10s`, suite: 'A' as const, apply: chain(codec, excerpt(10)) },
    { name: `${name}+5s`, suite: 'A' as const, apply: chain(codec, excerpt(5)) },
  ]),
  { name: 'loudnorm_-14', suite: 'A', apply: loudnorm(-14) },
  { name: 'loudnorm_-23', suite: 'A', apply: loudnorm(-23) },
  ...ATTACKS.filter((a) => ['tempo_1.02', 'tempo_0.98', 'pitch_+30c', 'pitch_-30c', 'wnoise_10dB', 'excerpt_3s'].includes(a.name)),
];
