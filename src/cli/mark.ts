import { Command, Option } from 'commander';
import { writeFileAtomic } from '../fs/atomic.js';
import {
  convertFile,
  createLabel,
  markFile,
  outputFormatFor,
  sniffMedia,
  stripMetadataLabel,
  writeMetadataLabel,
  type AigcLabel,
  type LabelAttribute,
  type WatermarkPayload,
} from '../node.js';
import { fmt, parseMaxPixels, parsePngCompression, parseStrength, readInput, readKeyFile } from './common.js';
import { EXIT, Output, UsageError, type CliIo, type ExitCode } from './output.js';

interface MarkOptions {
  output: string;
  producer: string;
  produceId?: string;
  label: LabelAttribute;
  keyFile?: string;
  strength?: number;
  maxPixels?: number;
  pngCompression?: number;
  explicit?: boolean;
  watermark: boolean;
  metadata: boolean;
  force?: boolean;
  json?: boolean;
}

export interface MarkDocument {
  file: string;
  input: string;
  media: string;
  /** The output's format (its extension's). */
  format: string;
  label: AigcLabel;
  /** Whether the GB 45438 metadata label was written. */
  metadata: boolean;
  payload: WatermarkPayload | null;
  psnr?: number;
  snr?: number;
}

export function markCommand(io: CliIo): Command {
  return new Command('mark')
    .description('write the GB 45438 metadata label and the invisible watermark')
    .argument('<in>', 'input image (PNG, JPEG, WebP) or audio (WAV, MP3)')
    .requiredOption('-o, --output <out>', 'output file; its extension picks the format (.png .jpg .webp for images, .wav .mp3 for audio)')
    .requiredOption('--producer <code>', 'ContentProducer: the provider code (Annex E charset)')
    .option('--produce-id <id>', 'ProduceID; omitted: mint one the watermark carries exactly')
    .addOption(new Option('--label <attr>', 'Label attribute: 1 generated, 2 possibly, 3 suspected').choices(['1', '2', '3']).default('1'))
    .option('--key-file <file>', 'provider secret key (raw bytes, at least 16); default: the public key')
    .option('--strength <s>', 'watermark strength multiplier, 0.25 to 4, default 1', parseStrength)
    .option('--max-pixels <n>', 'refuse images over this many pixels (default 100000000)', parseMaxPixels)
    .option('--png-compression <level>', 'PNG output: zlib level 0 (fastest) to 9 (smallest), default 4', parsePngCompression)
    .option('--explicit', 'also add the visible "AI生成" label (not built yet)')
    .option('--no-watermark', 'skip the invisible watermark')
    .option('--no-metadata', 'skip the metadata label (and remove any old one)')
    .option('--force', 'overwrite an existing output, or the input itself')
    .option('--json', 'print one JSON document on stdout')
    .action(async (input: string, options: MarkOptions) => {
      io.exit(await runMark(input, options, io));
    });
}

async function runMark(input: string, options: MarkOptions, io: CliIo): Promise<ExitCode> {
  const out = new Output(options.json ?? false, io);
  try {
    if (options.explicit) {
      throw new UsageError('--explicit (the visible "AI生成" label) is not supported yet; run without it.');
    }
    if (!options.watermark && !options.metadata) {
      throw new UsageError('--no-watermark and --no-metadata together leave nothing to do.');
    }
    const label = createLabel({ producer: options.producer, produceId: options.produceId, label: options.label });
    const key = await readKeyFile(options.keyFile);
    const bytes = await readInput(input);
    const { kind: media, format: inputFormat } = sniffMedia(bytes);
    // The output's extension decides its format: PNG, JPEG and WebP convert among themselves, WAV and MP3 too.
    const format = outputFormatFor(options.output, inputFormat);

    let result: Uint8Array;
    let payload: WatermarkPayload | null = null;
    let quality: { psnr?: number; snr?: number } = {};
    if (options.watermark) {
      const marked = await markFile(bytes, label, { key, strength: options.strength, maxPixels: options.maxPixels, pngCompression: options.pngCompression, format });
      result = marked.bytes;
      payload = marked.payload;
      quality = marked.quality;
    } else {
      result = await convertFile(bytes, format, { maxPixels: options.maxPixels, pngCompression: options.pngCompression });
    }
    // With --no-metadata an old label is removed: it would contradict the new watermark.
    result = options.metadata ? writeMetadataLabel(result, label) : stripMetadataLabel(result);
    await writeFileAtomic(options.output, result, { overwrite: options.force ?? false, protect: [input] });

    const doc: MarkDocument = { file: options.output, input, media, format, label, metadata: options.metadata, payload, ...quality };
    out.result(doc, () => {
      const lines = [`Marked ${input} → ${options.output}`];
      lines.push(`  label      ${JSON.stringify(label)}${options.metadata ? '' : ' (watermark only, no metadata)'}`);
      if (payload) {
        const content = payload.content.kind === 'minted' ? `ProduceID ${payload.content.produceId}` : `ProduceID hash ${payload.content.produceIdHash}`;
        const q = quality.psnr !== undefined ? `PSNR ${fmt(quality.psnr)} dB` : `SNR ${fmt(quality.snr ?? NaN)} dB`;
        lines.push(`  watermark  producer ${payload.producerHash}, ${content}, ${payload.keyed ? 'secret key' : 'public key'}; ${q}`);
      } else {
        lines.push('  watermark  none (--no-watermark)');
      }
      return lines.join('\n');
    });
    return EXIT.OK;
  } catch (e) {
    return out.failure(input, e);
  }
}
