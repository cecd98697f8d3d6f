// The audio half of the demo page: pick a WAV or MP3, add the rhythm prompt (Morse "AI") if asked,
// mark it, play it back, and detect it (the marked clip or any file picked).
import { PROMPT_PLACEMENTS, addAudioPrompt, buildWav, detectAudio, detectRhythm, embedAudio, parseWav, pcm16WavInfo, sniffContainer, writeMetadataLabel } from './aigc-mark.js';
import { $, describeError, formLabel, ms } from './demo-common.js';
import { readMetadata, renderReport, showState, watermarkText, wireMarkButton } from './demo-report.js';

for (const where of PROMPT_PLACEMENTS) $('audio-prompt-position').append(new Option(where, where));

/** The last marked clip, for playback and "Detect the marked clip". */
let markedClip = null;

/**
 * Planar samples of a WAV (read exactly) or an MP3 (decoded by the browser at 44.1 kHz), and the
 * WAV layout to write the result in.
 */
async function decodeAudio(bytes) {
  if (sniffContainer(bytes) === 'wav') {
    const { info, sampleRate, channels } = parseWav(bytes);
    return { sampleRate, channels, info };
  }
  const context = new OfflineAudioContext(1, 1, 44100);
  const buffer = await context.decodeAudioData(bytes.slice().buffer);
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
  return { sampleRate: buffer.sampleRate, channels, info: pcm16WavInfo(channels.length, buffer.sampleRate) };
}

wireMarkButton('audio-file', 'audio-mark', 'audio-mark-out', 'Pick a WAV or MP3.', async (file) => {
  const label = formLabel();
  const { sampleRate, channels, info } = await decodeAudio(new Uint8Array(await file.arrayBuffer()));
  const t0 = performance.now();
  // The prompt first, so the watermark covers it too.
  const prompt = $('audio-explicit').checked ? await addAudioPrompt(channels, sampleRate, { placement: $('audio-prompt-position').value }) : null;
  const marked = await embedAudio(prompt?.channels ?? channels, sampleRate, label);
  const markMs = ms(t0);
  const bytes = writeMetadataLabel(buildWav(info, marked.channels), label);
  const name = `${file.name.replace(/\.[^.]*$/, '') || 'audio'}.marked.wav`;
  markedClip = { bytes, name };
  play(bytes, name);
  $('audio-detect').disabled = false;
  return [
    ['file', name],
    ['audio', `${channels.length} ch, ${sampleRate} Hz, ${(marked.channels[0].length / sampleRate).toFixed(2)} s`],
    ...Object.entries(label).filter(([, v]) => v !== ''),
    ['watermark', watermarkText(marked.payload)],
    ['explicit', prompt ? `rhythm prompt at the ${prompt.placement}, ${prompt.start.toFixed(2)}–${prompt.end.toFixed(2)} s` : 'none'],
    ['SNR', `${marked.snr.toFixed(2)} dB`],
    ['time', `${markMs} ms`],
  ];
});

/** Puts the clip in the player and behind the download link. */
function play(bytes, name) {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
  const player = $('audio-player');
  const previous = player.src;
  // Detach the old clip before its URL goes, so the player has no read of it in flight.
  player.pause();
  player.removeAttribute('src');
  player.load();
  if (previous) URL.revokeObjectURL(previous);
  player.src = url;
  $('audio-download').href = url;
  $('audio-download').download = name;
}

async function detectClip(name, bytes) {
  const root = $('audio-out');
  showState(root, 'busy', 'Detecting…');
  try {
    const meta = readMetadata(bytes);
    const { sampleRate, channels } = await decodeAudio(bytes);
    const t0 = performance.now();
    const watermark = await detectAudio(channels, sampleRate);
    const explicit = detectRhythm(channels, sampleRate);
    renderReport(root, { file: name, meta, watermark, explicit, ms: ms(t0) });
  } catch (error) {
    showState(root, 'error', describeError(error));
  }
}

$('audio-detect').addEventListener('click', () => markedClip && detectClip(markedClip.name, markedClip.bytes));
$('audio-detect-file').addEventListener('change', async () => {
  const file = $('audio-detect-file').files?.[0];
  if (file) await detectClip(file.name, new Uint8Array(await file.arrayBuffer()));
});
