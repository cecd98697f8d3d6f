#!/usr/bin/env node
// aigc-mark: GB 45438-2025 labels for AI-generated images and audio (docs/architecture.md, CLI contract).
import sharp from 'sharp';
import { run } from './program.js';

// libvips caches operations keyed on input buffer addresses; a freed buffer reused at the same
// address with new pixels can then hit a stale entry. The command runs each pipeline once per
// file, so the cache buys nothing. A library must not decide this for its host, so only the
// programs set it.
sharp.cache(false);

process.exitCode = await run(process.argv.slice(2));
