#!/usr/bin/env node
// aigc-mark: GB 45438-2025 labels for AI-generated images and audio (docs/architecture.md, CLI contract).
import { whenSharpLoads } from '../image/sharp.js';
import { run } from './program.js';

// libvips caches operations keyed on input buffer addresses; a freed buffer reused at the same
// address with new pixels can then hit a stale entry. The command runs each pipeline once per
// file, so the cache buys nothing. A library must not decide this for its host, so only the
// programs set it (when sharp loads: commands that touch no image never load it).
whenSharpLoads((sharp) => sharp.cache(false));

process.exitCode = await run(process.argv.slice(2));
