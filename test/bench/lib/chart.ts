// Horizontal bar charts as plain SVG, written beside docs/BENCHMARKS.md, for the figures a
// picture reads better than a table: who is faster, by how much, and where a target lies.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../../docs/charts/', import.meta.url));

/** Baton's own figures, the peer it is compared with, and baselines. */
export type BarKind = 'baton' | 'peer' | 'baseline';

export interface Bar {
  label: string;
  value: number;
  kind: BarKind;
}

export interface Chart {
  title: string;
  /** Printed after each value: "ms", "updates/s". */
  unit: string;
  bars: Bar[];
  /** A vertical dashed line, e.g. a target. */
  marker?: { value: number; label: string };
  /** Decimals of the printed values. */
  digits?: number;
}

const COLORS: Record<BarKind, string> = { baton: '#2f5d9e', peer: '#8c8c8c', baseline: '#c7962c' };
const WIDTH = 760;
const LABEL_WIDTH = 360;
const BAR_AREA = 300;
const ROW = 26;
const TOP = 44;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function barChart(c: Chart): string {
  const max = Math.max(...c.bars.map((b) => b.value), c.marker?.value ?? 0) * 1.08 || 1;
  const x = (v: number) => LABEL_WIDTH + (v / max) * BAR_AREA;
  const height = TOP + c.bars.length * ROW + 40;
  const digits = c.digits ?? 0;
  const rows = c.bars.map((b, i) => {
    const y = TOP + i * ROW;
    const value = `${b.value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${c.unit}`;
    return [
      `<text x="${LABEL_WIDTH - 10}" y="${y + 16}" text-anchor="end">${escape(b.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${Math.max(1, x(b.value) - LABEL_WIDTH).toFixed(1)}" height="${ROW - 8}" fill="${COLORS[b.kind]}"/>`,
      `<text x="${(x(b.value) + 6).toFixed(1)}" y="${y + 16}">${escape(value)}</text>`,
    ].join('');
  });
  const marker = c.marker
    ? [
        `<line x1="${x(c.marker.value).toFixed(1)}" x2="${x(c.marker.value).toFixed(1)}" y1="${TOP - 4}" y2="${TOP + c.bars.length * ROW + 4}" stroke="#b3261e" stroke-dasharray="4 3"/>`,
        `<text x="${x(c.marker.value).toFixed(1)}" y="${TOP + c.bars.length * ROW + 20}" text-anchor="middle" fill="#b3261e">${escape(c.marker.label)}</text>`,
      ].join('')
    : '';
  const legend = (['baton', 'peer', 'baseline'] as BarKind[])
    .filter((k) => c.bars.some((b) => b.kind === k))
    .map((k, i) => `<rect x="${LABEL_WIDTH + i * 120}" y="${height - 16}" width="10" height="10" fill="${COLORS[k]}"/><text x="${LABEL_WIDTH + i * 120 + 14}" y="${height - 7}">${k === 'baton' ? 'Baton' : k === 'peer' ? 'stock server' : 'baseline'}</text>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="13" fill="#1c1c1c">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="15" font-weight="600">${escape(c.title)}</text>`,
    ...rows,
    marker,
    legend,
    '</svg>',
  ].join('\n');
}

/** Writes docs/charts/<name>.svg and returns its path relative to docs/. */
export function writeChart(name: string, chart: Chart): string {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(`${DIR}${name}.svg`, `${barChart(chart)}\n`);
  return `charts/${name}.svg`;
}
