import type { Attachment } from '../../common/panel/protocol';

/** Image files among pasted clipboard items (a screenshot arrives as an unnamed `image/png`). */
export function pastedFiles(data: DataTransfer | null): File[] {
  if (!data) return [];
  const files: File[] = [];
  for (const item of Array.from(data.items)) {
    if (item.kind !== 'file') continue;
    const file = item.getAsFile();
    if (file) files.push(file);
  }
  return files;
}

/**
 * What VS Code's explorer drags carry: one URI per line in `application/vnd.code.uri-list` and/or
 * `text/uri-list` (lines starting with # are comments). The host reads the files.
 */
export function droppedUris(data: DataTransfer): Attachment[] {
  const seen = new Set<string>();
  const attachments: Attachment[] = [];
  for (const type of ['application/vnd.code.uri-list', 'text/uri-list']) {
    for (const line of data.getData(type).split(/\r?\n/)) {
      const uri = line.trim();
      if (!uri || uri.startsWith('#') || seen.has(uri) || !URL.canParse(uri)) continue;
      seen.add(uri);
      attachments.push({ kind: 'file', name: basename(uri), uri });
    }
  }
  return attachments;
}

function basename(uri: string): string {
  const path = new URL(uri).pathname.replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last) || uri;
  } catch {
    return last || uri;
  }
}

/** Whether a drag might carry something the composer takes, so it may be dropped there. */
export function acceptsDrag(data: DataTransfer | null): boolean {
  const types = Array.from(data?.types ?? []);
  return types.some(
    (type) => type === 'Files' || type === 'text/uri-list' || type === 'application/vnd.code.uri-list',
  );
}
