import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { bin, cli } from './helpers.js';

describe('commands loaded on demand', () => {
  it('the bin prints the version in package.json', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await bin(['--version']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(pkg.version);
  });

  it('--help lists every command with its usage and summary, without loading them', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    const help = r.stderr.replace(/\s+/g, ' ');
    for (const c of COMMANDS) expect(help).toContain(`${c.name} ${c.usage} ${c.summary}`);
  });

  it('help <command> and <command> --help show that command’s own options', async () => {
    for (const args of [['help', 'mark'], ['mark', '--help']]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('--producer <code>');
    }
  });

  it('an unknown command is a usage error that names the known ones', async () => {
    const r = await cli(['marc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Did you mean mark?");
  });
});
