// The speed bench's peers, found where a user or bench/peers/install.sh put them:
// audiowmark as $AUDIOWMARK or on PATH; invisible-watermark as a source tree named by
// $IMWATERMARK_PY (run by bench/peers/imwatermark.py on a Python with numpy, OpenCV and
// PyWavelets: $IMWATERMARK_PYTHON, else Debian's /usr/bin/python3, else python3) or as the
// `invisible-watermark` script of a pip install on PATH. An absent peer is null, with the reason.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { haveTool } from '../lib/proc.ts';

export interface Peer {
  /** The command line that runs the peer, before its own arguments. */
  cmd: string[];
  /** What ran, for the results: version and where it came from. */
  about: string;
}

export interface FoundPeers {
  audiowmark: Peer | null;
  imwatermark: Peer | null;
  notes: string[];
}

const run = (cmd: string[]) => spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function findAudiowmark(notes: string[]): Peer | null {
  const named = process.env.AUDIOWMARK;
  if (named && !executable(named)) throw new Error(`AUDIOWMARK=${named} is not an executable file.`);
  const bin = named ?? (haveTool('audiowmark') ? 'audiowmark' : null);
  if (!bin) {
    notes.push('audiowmark is not installed (bench/peers/install.sh builds it; or set AUDIOWMARK=/path/to/audiowmark): its rows are left out.');
    return null;
  }
  const version = run([bin, '--version']).stdout.trim();
  return { cmd: [bin], about: `${version} (\`${bin}\`)` };
}

const PY_MODULES =
  'import importlib.util, numpy, cv2, pywt; print(numpy.__version__, cv2.__version__, pywt.__version__, importlib.util.find_spec("torch") is not None)';

function findImwatermark(notes: string[]): Peer | null {
  const source = process.env.IMWATERMARK_PY ? resolve(process.env.IMWATERMARK_PY) : null;
  if (source) {
    if (!existsSync(resolve(source, 'invisible-watermark'))) throw new Error(`IMWATERMARK_PY=${source} is not an invisible-watermark source tree.`);
    const candidates = process.env.IMWATERMARK_PYTHON ? [process.env.IMWATERMARK_PYTHON] : ['/usr/bin/python3', 'python3'];
    for (const python of candidates) {
      const probe = run([python, '-c', PY_MODULES]);
      if (probe.status !== 0) continue;
      const [numpy, cv2, pywt, torch] = probe.stdout.trim().split(' ');
      return {
        cmd: [python, resolve('bench/peers/imwatermark.py'), source],
        about: `its source tree (IMWATERMARK_PY) on \`${python}\` with numpy ${numpy}, OpenCV ${cv2}, PyWavelets ${pywt}, ${torch === 'True' ? 'with torch' : 'without torch (an empty stand-in)'}`,
      };
    }
    throw new Error(`IMWATERMARK_PY is set but none of ${candidates.join(', ')} imports numpy, cv2 and pywt (Debian: python3-numpy python3-opencv python3-pywt).`);
  }
  if (haveTool('invisible-watermark')) return { cmd: ['invisible-watermark'], about: '`invisible-watermark` on PATH' };
  notes.push('invisible-watermark is not installed (bench/peers/install.sh sets it up from its source; or set IMWATERMARK_PY=/path/to/source): its rows are left out.');
  return null;
}

export function findPeers(): FoundPeers {
  const notes: string[] = [];
  return { audiowmark: findAudiowmark(notes), imwatermark: findImwatermark(notes), notes };
}
