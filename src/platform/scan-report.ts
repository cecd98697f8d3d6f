// What a scan adds up to: one row per file for a report file (CSV or NDJSON), and the summary
// (counts per verdict tier, findings by code, errors by code, files per second).
import type { Inspection } from './inspect-file.js';

export type ScanRow =
  | { file: string; ok: true; inspection: Inspection }
  | { file: string; ok: false; error: { code: string; message: string } };

export type ReportFormat = 'csv' | 'ndjson';

export function reportFormatFor(path: string): ReportFormat | null {
  return /\.csv$/i.test(path) ? 'csv' : /\.(nd)?jsonl?$|\.ndjson$/i.test(path) ? 'ndjson' : null;
}

const CSV_COLUMNS = ['file', 'media', 'label', 'tier', 'basis', 'metadata_state', 'watermark', 'explicit', 'findings', 'producer', 'produce_id', 'error'];

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function reportLine(row: ScanRow, format: ReportFormat): string {
  if (format === 'ndjson') return JSON.stringify(row.ok ? row.inspection : { file: row.file, error: row.error });
  const cells = row.ok
    ? [
        row.file,
        row.inspection.media,
        row.inspection.verdict.label ?? '',
        row.inspection.verdict.tier,
        row.inspection.verdict.basis,
        row.inspection.metadataState,
        row.inspection.watermark.found ? 'found' : 'none',
        row.inspection.explicit.found ? 'found' : 'none',
        row.inspection.findings.map((f) => f.code).join(' '),
        row.inspection.metadata?.ContentProducer ?? '',
        row.inspection.metadata?.ProduceID ?? '',
        '',
      ]
    : [row.file, '', '', '', '', '', '', '', '', '', '', row.error.code];
  return cells.map(csvCell).join(',');
}

export function reportHeader(format: ReportFormat): string | null {
  return format === 'csv' ? CSV_COLUMNS.join(',') : null;
}

export interface ScanSummary {
  files: number;
  seconds: number;
  tiers: Record<'verified' | 'possibly' | 'suspected' | 'none', number>;
  basis: Record<string, number>;
  findings: Record<string, number>;
  errors: Record<string, number>;
}

export function summarize(rows: readonly ScanRow[], seconds: number): ScanSummary {
  const s: ScanSummary = { files: rows.length, seconds, tiers: { verified: 0, possibly: 0, suspected: 0, none: 0 }, basis: {}, findings: {}, errors: {} };
  const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  for (const r of rows) {
    if (!r.ok) {
      bump(s.errors, r.error.code);
      continue;
    }
    s.tiers[r.inspection.verdict.tier]++;
    bump(s.basis, r.inspection.verdict.basis);
    for (const f of r.inspection.findings) bump(s.findings, f.code);
  }
  return s;
}

/** The summary as an aligned table for people. */
export function summaryTable(s: ScanSummary): string {
  const sorted = (m: Record<string, number>, prefix: string) => Object.entries(m).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]): [string, number] => [`  ${prefix} ${k}`, n]);
  const rows: [string, string][] = [
    ['files', String(s.files)],
    ['Label 1 (verified)', String(s.tiers.verified)],
    ['Label 2 (possibly)', String(s.tiers.possibly)],
    ['Label 3 (suspected)', String(s.tiers.suspected)],
    ['no label found', String(s.tiers.none)],
    ...sorted(s.basis, 'basis').map(([k, n]): [string, string] => [k, String(n)]),
    ['findings', String(Object.values(s.findings).reduce((a, b) => a + b, 0))],
    ...sorted(s.findings, '').map(([k, n]): [string, string] => [k, String(n)]),
    ['errors', String(Object.values(s.errors).reduce((a, b) => a + b, 0))],
    ...sorted(s.errors, '').map(([k, n]): [string, string] => [k, String(n)]),
    ['files per second', s.seconds > 0 ? (s.files / s.seconds).toFixed(1) : '-'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, n]) => `${k.padEnd(width)}  ${n.padStart(8)}`).join('\n');
}
