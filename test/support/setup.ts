// Every test file runs with sharp's operation cache off, as the CLI does (src/cli/main.ts):
// tests encode many same-sized buffers concurrently, which is where a stale cache entry bites.
import sharp from 'sharp';

sharp.cache(false);
