#!/usr/bin/env node
// aigc-mark: GB 45438-2025 labels for AI-generated images and audio (DESIGN.md section 6).
import { Command, CommanderError } from 'commander';
import { detectCommand } from './detect.js';
import { markCommand } from './mark.js';
import { EXIT } from './output.js';
import { propagateCommand } from './propagate.js';
import { scanCommand } from './scan.js';

export function buildProgram(): Command {
  const program = new Command('aigc-mark')
    .description('GB 45438-2025 AI-content labels: metadata labels and invisible watermarks for images and audio')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => process.stderr.write(s), writeErr: (s) => process.stderr.write(s) });
  for (const command of [markCommand(), detectCommand(), propagateCommand(), scanCommand()]) {
    program.addCommand(command.configureOutput({ writeOut: (s) => process.stderr.write(s), writeErr: (s) => process.stderr.write(s) }));
  }
  // Commander exits 1 on usage errors; the contract says 2. Help and --version are not errors.
  const override = (e: CommanderError): never => {
    throw e;
  };
  program.exitOverride(override);
  for (const command of program.commands) command.exitOverride(override);
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.OK : EXIT.USAGE;
    }
    process.stderr.write(`aigc-mark: internal error: ${(e as Error)?.stack ?? e}\n`);
    return EXIT.BAD_INPUT;
  }
}

process.exitCode = await main();
