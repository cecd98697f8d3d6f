// The aigc-mark command line as a function, so it runs the same in the bin and in-process (tests).
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help } from 'commander';
import { COMMANDS, commandFor } from './commands.js';
import { EXIT, internalErrorMessage, type CliIo, type ExitCode } from './output.js';

export const processIo: Omit<CliIo, 'exit'> = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** The version in the package.json above this module (src/cli from source, dist/src/cli when built). */
export function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'aigc-mark' && pkg.version) return pkg.version;
    } catch {
      // no package.json here: look one level up
    }
  }
  throw new Error('aigc-mark: package.json not found above the CLI module.');
}

/** The program with every command listed; only the one `args` runs is loaded, the rest are name and summary. */
async function buildProgram(io: CliIo, args: readonly string[]): Promise<Command> {
  const program = new Command('aigc-mark')
    .description('GB 45438-2025 AI-content labels: metadata labels and invisible watermarks for images and audio')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({
      subcommandTerm: (cmd) => {
        const entry = COMMANDS.find((c) => c.name === cmd.name());
        return entry ? `${entry.name} ${entry.usage}` : new Help().subcommandTerm(cmd);
      },
    });
  const wanted = commandFor(args);
  for (const entry of COMMANDS) {
    const command = entry === wanted ? (await entry.load())(io) : new Command(entry.name);
    program.addCommand(command.summary(entry.summary));
  }
  // Help and parse errors go to stderr, so stdout only ever carries results.
  // Commander exits 1 on usage errors; the contract says 2, so it throws instead and run() decides.
  for (const command of [program, ...program.commands]) {
    command.configureOutput({ writeOut: io.stderr, writeErr: io.stderr }).exitOverride();
  }
  return program;
}

/** Runs one command line (without the node and script arguments) and returns its exit code. */
export async function run(args: readonly string[], io: Omit<CliIo, 'exit'> = processIo): Promise<ExitCode> {
  let code: ExitCode = EXIT.OK;
  try {
    const program = await buildProgram({ ...io, exit: (c) => void (code = c) }, args);
    await program.parseAsync([...args], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // `help <command>` ends as 'commander.help' with exit code 0; shown after a mistake, with 1.
      const shown = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || (e.code === 'commander.help' && e.exitCode === 0);
      return shown ? EXIT.OK : EXIT.USAGE;
    }
    io.stderr(`aigc-mark: ${internalErrorMessage(e)}\n`);
    return EXIT.INTERNAL;
  }
}
