// Every test file runs with sharp's operation cache off, as the CLI does (src/cli/main.ts):
// tests encode many same-sized buffers concurrently, which is where a stale cache entry bites.
import sharp from 'sharp';
// Tests import modules below the entries, so they get Node's XML validator here, as the entries do.
import '../../src/metadata/node-xml-validator.js';

sharp.cache(false);
