#!/usr/bin/env node
// aigc-mark: GB 45438-2025 labels for AI-generated images and audio (DESIGN.md section 6).
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
