/**
 * A file's outline (the editor's document symbols) as text: what stands in for a file too large for
 * even a useful part of it to fit, so the model still learns what the file declares and where.
 */

export interface OutlineSymbol {
  name: string;
  /** The symbol's kind as the editor names it: `class`, `method`, `function`, … */
  kind: string;
  /** 1-based. */
  line: number;
  children?: readonly OutlineSymbol[];
}

/** One line per symbol, `kind name (line N)`, indented two spaces per level. */
export function outlineText(symbols: readonly OutlineSymbol[]): string {
  const lines: string[] = [];
  const walk = (list: readonly OutlineSymbol[], indent: string) => {
    for (const s of list) {
      lines.push(`${indent}${s.kind} ${s.name} (line ${s.line})`);
      if (s.children?.length) walk(s.children, `${indent}  `);
    }
  };
  walk(symbols, '');
  return lines.join('\n');
}
