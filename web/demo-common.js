// What both halves of the demo page share: the label form, downloads, error text, timings.
import { AigcError, createLabel } from './aigc-mark.js';

export const $ = (id) => document.getElementById(id);

export function describeError(error) {
  return error instanceof AigcError ? `${error.code}: ${error.message}` : String(error?.message ?? error);
}

export const ms = (t0) => Math.round(performance.now() - t0);

export function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The label fields the form holds. */
export function formLabel() {
  const produceId = $('produce-id').value.trim();
  const reserved = $('reserved1').value.trim();
  return createLabel({
    producer: $('producer').value.trim(),
    label: $('label').value,
    ...(produceId ? { produceId } : {}),
    ...(reserved ? { reservedCode1: reserved } : {}),
  });
}
