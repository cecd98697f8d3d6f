import { Command } from 'commander';
import { writeFileAtomic } from '../fs/atomic.js';
import { AigcError } from '../errors.js';
import { outputFormatFor, sniffMedia } from '../media.js';
import { mintProduceId, validateFieldValue, writeMetadataLabel } from '../api.js';
import { planPropagation } from '../platform/propagate.js';
import { parseMaxPixels, readInput, readKeyFile } from './common.js';
import { describeInspection } from './detect.js';
import { inspectBytes } from '../inspect.js';
import { EXIT, Output, type CliIo, type ExitCode } from './output.js';

interface PropagateOptions {
  output: string;
  propagator: string;
  propagateId?: string;
  declared?: boolean;
  keyFile?: string;
  maxPixels?: number;
  force?: boolean;
  json?: boolean;
}

export function propagateCommand(io: CliIo): Command {
  return new Command('propagate')
    .description('platform side of Article 6: inspect, then write ContentPropagator and PropagateID')
    .argument('<in>', 'uploaded image or audio file')
    .requiredOption('-o, --output <out>', 'output file')
    .requiredOption('--propagator <code>', 'ContentPropagator: the platform code (Annex E charset)')
    .option('--propagate-id <id>', 'PropagateID; omitted: mint one')
    .option('--declared', 'the uploader declared the content AI-generated (Label 2 when nothing is found)')
    .option('--key-file <file>', 'secret key for the watermark; default: the public key')
    .option('--max-pixels <n>', 'refuse images over this many pixels (default 100000000)', parseMaxPixels)
    .option('--force', 'overwrite an existing output, or the input itself')
    .option('--json', 'print one JSON document on stdout')
    .action(async (input: string, options: PropagateOptions) => {
      io.exit(await runPropagate(input, options, io));
    });
}

async function runPropagate(input: string, options: PropagateOptions, io: CliIo): Promise<ExitCode> {
  const out = new Output(options.json ?? false, io);
  try {
    const propagateId = options.propagateId ?? mintProduceId();
    // Validate the platform's own fields before touching the file.
    validateFieldValue('ContentPropagator', options.propagator);
    validateFieldValue('PropagateID', propagateId);
    const key = await readKeyFile(options.keyFile);
    const bytes = await readInput(input);
    // propagate never re-encodes, so the output keeps the input's format, and its name must say so.
    const { format } = sniffMedia(bytes);
    if (outputFormatFor(options.output, format) !== format) {
      throw new AigcError('BAD_OPTION', `propagate copies the file and only edits its label; name the output with the input's extension (${format === 'jpeg' ? '.jpg' : `.${format}`}).`);
    }
    const inspection = await inspectBytes(input, bytes, { key, maxPixels: options.maxPixels, declared: options.declared });
    const plan = planPropagation(
      { verdict: inspection.verdict, metadata: inspection.metadata, metadataState: inspection.metadataState, watermark: inspection.watermark.found ? inspection.watermark.payload : null },
      options.propagator,
      propagateId,
    );
    const { label } = plan;
    if (label === null) {
      out.result({ ...inspection, output: null, label: null, action: plan.action, explanation: plan.explanation }, () => `${describeInspection(inspection)}\n  ${plan.explanation}`);
      return EXIT.NOT_FOUND;
    }
    await writeFileAtomic(options.output, writeMetadataLabel(bytes, label), { overwrite: options.force ?? false, protect: [input] });
    out.result(
      { ...inspection, output: options.output, label, action: plan.action, explanation: plan.explanation },
      () => `${describeInspection(inspection)}\n  ${plan.explanation}\n  wrote ${options.output}: ${JSON.stringify({ AIGC: label })}`,
    );
    return EXIT.OK;
  } catch (e) {
    return out.failure(input, e);
  }
}
