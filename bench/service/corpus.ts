// Queue bench corpus: a few distinct procedural photos written under many paths. Each path is its
// own job (the URI is part of the job's identity); the detection cost per file is that of the photo.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { landscape } from '../image/procedural.ts';
import { sharpOf } from '../image/raster.ts';

export async function writeCorpus(dir: string, count: number, side = 256, distinct = 16): Promise<string[]> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const photos = await Promise.all(Array.from({ length: distinct }, (_, i) => sharpOf(landscape(side, side, 100 + i)).png().toBuffer()));
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `f${String(i).padStart(5, '0')}.png`);
    await writeFile(path, photos[i % distinct]!);
    paths.push(path);
  }
  return paths;
}
