/**
 * A folder's files as an indented tree, the shape a model reads a project layout in: folders first
 * and ending in `/`, then files, each level sorted, two spaces per level. Plain indentation rather
 * than box-drawing lines: the estimate (and real tokenizers) charge for every `├──`.
 */
export function folderTree(root: string, files: readonly string[]): string {
  const top: Node = new Map();
  for (const file of files) {
    let node = top;
    const segments = file.split('/').filter(Boolean);
    segments.forEach((segment, i) => {
      if (i === segments.length - 1) {
        if (!node.has(segment)) node.set(segment, null);
        return;
      }
      let child = node.get(segment);
      if (!child) {
        child = new Map();
        node.set(segment, child);
      }
      node = child;
    });
  }
  const lines = [`${root.replace(/\/+$/, '')}/`];
  write(top, '  ', lines);
  return lines.join('\n');
}

/** A folder's entries: a child folder, or null for a file. */
type Node = Map<string, Node | null>;

function write(node: Node, indent: string, lines: string[]): void {
  const names = [...node.keys()];
  const folders = names.filter((n) => node.get(n)).sort(byCodeUnits);
  const files = names.filter((n) => !node.get(n)).sort(byCodeUnits);
  for (const name of folders) {
    lines.push(`${indent}${name}/`);
    write(node.get(name)!, `${indent}  `, lines);
  }
  for (const name of files) lines.push(`${indent}${name}`);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
