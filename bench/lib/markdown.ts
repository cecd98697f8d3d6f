// Table and report writers shared by the benches: one table model, rendered
// as GitHub Markdown for bench/results/*.md and as aligned text for the console.
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import os from 'node:os';

export interface Table {
  title?: string;
  headers: string[];
  rows: string[][];
  /** 'l' or 'r' per column; numbers default to right-aligned. */
  align?: ('l' | 'r')[];
}

export function markdownTable(t: Table): string {
  const align = t.align ?? t.headers.map((_, i) => (i === 0 ? 'l' : 'r'));
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| ${t.headers.map(esc).join(' | ')} |`,
    `|${align.map((a) => (a === 'r' ? '---:' : ':---')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
  return (t.title ? `### ${t.title}\n\n` : '') + lines.join('\n') + '\n';
}

export function consoleTable(t: Table): string {
  const align = t.align ?? t.headers.map((_, i) => (i === 0 ? 'l' : 'r'));
  const widths = t.headers.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const cell = (s: string, i: number) => (align[i] === 'r' ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  const line = (r: string[]) => r.map((s, i) => cell(s ?? '', i)).join('  ');
  const out = [line(t.headers), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)];
  return (t.title ? `${t.title}\n` : '') + out.join('\n') + '\n';
}

/** A one-line description of this machine for report headers. */
export function machineLine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  return `${cpus.length} vCPU (${model}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

export interface ReportHeader {
  title: string;
  /** Free-form lines (corpus, engine, command) placed under the title. */
  facts: [string, string][];
}

export function reportHeader(h: ReportHeader): string {
  const facts: [string, string][] = [
    ['Date', new Date().toISOString().replace(/\.\d+Z$/, 'Z')],
    ['Machine', machineLine()],
    ...h.facts,
  ];
  return `# ${h.title}\n\n${facts.map(([k, v]) => `- **${k}:** ${v}`).join('\n')}\n`;
}

/** Writes through a temp file and a rename, so a killed bench never leaves half a report. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
