import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { AigcError } from '../errors.js';
import type { ExplicitLabelAdded, ExplicitLabelOptions } from '../explicit/add-to-file.js';
import { PROMPT_PLACEMENTS, rhythmSettings, type PromptPlacement } from '../explicit/audio-prompt.js';
import { LABEL_POSITIONS, type LabelPosition } from '../explicit/layout.js';
import { DEFAULT_EXPLICIT_TEXT, validateExplicitText } from '../explicit/text.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { addExplicitLabelToFile, convertFile, markFile, outputFormatFor, sniffMedia } from '../media.js';
import { createLabel } from '../label/create.js';
import type { AigcLabel, LabelAttribute } from '../label/types.js';
import { stripMetadataLabel, writeMetadataLabel } from '../metadata/index.js';
import type { WatermarkPayload } from '../payload/payload.js';
import { fmt, parseMaxPixels, parseNumber, parsePngCompression, parseStrength, readInput, readKeyFile } from './common.js';
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
  explicitText?: string;
  explicitPosition?: LabelPosition;
  font?: string;
  promptPosition?: PromptPlacement;
  voicePrompt?: string;
  toneFrequency?: number;
  toneLevel?: number;
  toneShort?: number;
  toneLong?: number;
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
  /** The explicit label added (--explicit), or null. */
  explicit: ExplicitLabelAdded | null;
}

export function markCommand(io: CliIo): Command {
  return new Command('mark')
    .description('add the GB 45438 labels: the explicit label (--explicit), the invisible watermark, the metadata label')
    .argument('<in>', 'input image (PNG, JPEG, WebP) or audio (WAV, MP3)')
    .requiredOption('-o, --output <out>', 'output file; its extension picks the format (.png .jpg .webp for images, .wav .mp3 for audio)')
    .requiredOption('--producer <code>', 'ContentProducer: the provider code (Annex E charset)')
    .option('--produce-id <id>', 'ProduceID; omitted: mint one the watermark carries exactly')
    .addOption(new Option('--label <attr>', 'Label attribute: 1 generated, 2 possibly, 3 suspected').choices(['1', '2', '3']).default('1'))
    .option('--key-file <file>', 'provider secret key (raw bytes, at least 16); default: the public key')
    .option('--strength <s>', 'watermark strength multiplier, 0.25 to 4, default 1', parseStrength)
    .option('--max-pixels <n>', 'refuse images over this many pixels (default 100000000)', parseMaxPixels)
    .option('--png-compression <level>', 'PNG output: zlib level 0 (fastest) to 9 (smallest), default 3', parsePngCompression)
    .option('--explicit', 'also add the explicit label: "AI生成" on an image, the rhythm prompt (Morse "AI") in audio')
    .option('--explicit-text <text>', 'image label text (implies --explicit); must name AI and generation, e.g. "AI合成"')
    .addOption(new Option('--explicit-position <pos>', 'image label position (implies --explicit), default bottom-right').choices([...LABEL_POSITIONS]))
    .option('--font <file>', 'font file (TTF, OTF, TTC, WOFF, WOFF2) for label text the bundled glyphs lack (implies --explicit)')
    .addOption(new Option('--prompt-position <where>', 'audio prompt position (implies --explicit), default start').choices([...PROMPT_PLACEMENTS]))
    .option('--voice-prompt <file>', 'audio: splice this WAV or MP3 voice prompt in instead of the rhythm (implies --explicit)')
    .option('--tone-frequency <hz>', 'audio rhythm prompt: tone frequency, 200-4000 Hz, default 1000 (implies --explicit)', parseNumber)
    .option('--tone-level <dbfs>', 'audio rhythm prompt: tone peak, -40 to 0 dBFS, default -12 (implies --explicit)', parseNumber)
    .option('--tone-short <s>', 'audio rhythm prompt: short tone (dot), 0.04-0.5 s, default 0.1 (implies --explicit)', parseNumber)
    .option('--tone-long <s>', 'audio rhythm prompt: long tone (dash), at least twice the short one, default 0.3 (implies --explicit)', parseNumber)
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
    const wantsExplicit = options.explicit || [options.explicitText, options.explicitPosition, options.font, options.promptPosition, options.voicePrompt, ...toneOptions(options)].some((v) => v !== undefined);
    if (!wantsExplicit && !options.watermark && !options.metadata) {
      throw new UsageError('--no-watermark and --no-metadata together leave nothing to do.');
    }
    // The text is checked before any file is read: a non-compliant label is a usage mistake.
    const explicitText = options.explicitText === undefined ? undefined : validateExplicitText(options.explicitText);
    const label = createLabel({ producer: options.producer, produceId: options.produceId, label: options.label });
    const key = await readKeyFile(options.keyFile);
    const bytes = await readInput(input);
    const { kind: media, format: inputFormat } = sniffMedia(bytes);
    // The output's extension decides its format: PNG, JPEG and WebP convert among themselves, WAV and MP3 too.
    const format = outputFormatFor(options.output, inputFormat);

    const explicitOptions = wantsExplicit ? await explicitLabelOptions(media, { ...options, explicitText }) : undefined;

    // One decode and one encode: the explicit label first, then the watermark over it.
    let result: Uint8Array;
    let payload: WatermarkPayload | null = null;
    let quality: { psnr?: number; snr?: number } = {};
    let explicit: ExplicitLabelAdded | null = null;
    if (options.watermark) {
      const marked = await markFile(bytes, label, { key, strength: options.strength, maxPixels: options.maxPixels, pngCompression: options.pngCompression, format, explicit: explicitOptions, metadata: options.metadata });
      result = marked.bytes;
      payload = marked.payload;
      quality = marked.quality;
      explicit = marked.explicit;
    } else if (explicitOptions) {
      const labelled = await addExplicitLabelToFile(bytes, explicitOptions, { format, maxPixels: options.maxPixels, pngCompression: options.pngCompression });
      result = labelled.bytes;
      explicit = labelled.explicit;
    } else {
      result = await convertFile(bytes, format, { maxPixels: options.maxPixels, pngCompression: options.pngCompression });
    }
    // With --no-metadata an old label is removed: it would contradict the new watermark. markFile
    // has done either as it wrote the file (a WAV is then never copied to edit its label).
    if (!options.watermark) result = options.metadata ? writeMetadataLabel(result, label) : stripMetadataLabel(result);
    await writeFileAtomic(options.output, result, { overwrite: options.force ?? false, protect: [input] });

    const doc: MarkDocument = { file: options.output, input, media, format, label, metadata: options.metadata, payload, ...quality, explicit };
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
      if (explicit?.kind === 'image') {
        const b = explicit.box;
        lines.push(`  explicit   "${explicit.text}" at ${explicit.position}, ${explicit.glyphHeight}-pixel glyphs, ${explicit.style} at ${b.x},${b.y} ${b.width}x${b.height}`);
      } else if (explicit?.kind === 'audio') {
        lines.push(`  explicit   ${explicit.prompt} prompt at the ${explicit.placement}, ${explicit.start}-${explicit.end} s`);
      }
      return lines.join('\n');
    });
    return EXIT.OK;
  } catch (e) {
    return out.failure(input, e);
  }
}

/** The explicit label options for this medium; an option meant for the other medium is refused rather than ignored. */
async function explicitLabelOptions(media: string, options: MarkOptions): Promise<ExplicitLabelOptions> {
  const forOther = media === 'image' ? { '--prompt-position': options.promptPosition, '--voice-prompt': options.voicePrompt, '--tone-frequency': options.toneFrequency, '--tone-level': options.toneLevel, '--tone-short': options.toneShort, '--tone-long': options.toneLong } : { '--explicit-text': options.explicitText, '--explicit-position': options.explicitPosition, '--font': options.font };
  const misplaced = Object.entries(forOther).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (misplaced.length > 0) {
    throw new UsageError(`${misplaced.join(' and ')} ${misplaced.length > 1 ? 'are' : 'is'} for ${media === 'image' ? 'audio' : 'images'}; this input is ${media === 'image' ? 'an image' : 'audio'}.`);
  }
  if (media === 'image') {
    // fontkit and its Unicode tables take 100 ms to load: only a --font run pays for them.
    const glyphs = options.font === undefined ? undefined : (await import('../explicit/font-file.js')).glyphSetFromFont(await readOptionFile(options.font, '--font', 'BAD_FONT'), options.explicitText ?? DEFAULT_EXPLICIT_TEXT);
    return { text: options.explicitText, position: options.explicitPosition, glyphs };
  }
  const voice = options.voicePrompt === undefined ? undefined : await (await import('../audio/file.js')).decodeAudioFile(await readOptionFile(options.voicePrompt, '--voice-prompt', 'BAD_OPTION'));
  // Checked now, before any audio is decoded: a bad setting is a usage mistake.
  const rhythm = rhythmSettings({ frequency: options.toneFrequency, level: options.toneLevel, short: options.toneShort, long: options.toneLong });
  return { placement: options.promptPosition, voice, rhythm };
}

async function readOptionFile(path: string, option: string, code: 'BAD_FONT' | 'BAD_OPTION'): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new AigcError(code, `Cannot read the ${option} file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, { cause: e });
  }
}

const toneOptions = (o: MarkOptions) => [o.toneFrequency, o.toneLevel, o.toneShort, o.toneLong];
