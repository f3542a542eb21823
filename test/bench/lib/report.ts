// Each benchmark owns one "## <title>" section of docs/BENCHMARKS.md and replaces only it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FILE = fileURLToPath(new URL('../../../docs/BENCHMARKS.md', import.meta.url));
const HEADER = `# Benchmarks

Figures from \`npm run bench\` (test/bench/run.ts): it runs every script in test/bench/, each
in a process of its own under a time limit, and each script rewrites the section it owns;
\`npm run bench -- cold-open cli-startup\` runs only those named. The machine is shared with
other work, so each section notes the load it ran under, and a comparison with a peer (the
stock y-websocket server, node:crypto) or a baseline is made in the same run, as a ratio.
`;

/**
 * Writes `body` (the lines under the heading) as the section `## title`, keeping every other
 * section. A new section goes last, or before every other one with `first`.
 */
export function recordSection(title: string, body: string, options: { first?: boolean } = {}): void {
  const section = `## ${title}\n\n${body.trim()}\n`;
  const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const marker = `\n## ${title}\n`;
  const start = current.indexOf(marker);
  const firstSection = current.indexOf('\n## ');
  let next: string;
  if (start < 0 && options.first && firstSection >= 0) {
    next = `${current.slice(0, firstSection + 1)}${section}\n${current.slice(firstSection + 1)}`;
  } else if (start < 0) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const after = current.indexOf('\n## ', start + 1);
    next = `${current.slice(0, start + 1)}${section}${after < 0 ? '' : `\n${current.slice(after + 1)}`}`;
  }
  writeFileSync(FILE, next);
}

/** A Markdown table. */
export function table(head: string[], align: ('l' | 'r')[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(align.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
