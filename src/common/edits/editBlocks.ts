import type { ToolCall } from '../endpoint/chatTypes';

/**
 * The text fallback for endpoints without tools: the model writes fenced edit blocks, which are
 * read from the streamed answer line by line and turned into the same calls the tools make, so
 * they go through the same checks and the same review.
 *
 * ````
 * ```edit src/app.ts
 * <<<<<<< SEARCH
 * old lines
 * =======
 * new lines
 * >>>>>>> REPLACE
 * ```
 * ````
 * An empty SEARCH part creates the file.
 */

export interface EditBlock {
  path: string;
  search: string;
  replace: string;
}

export const EDIT_BLOCK_PROMPT = [
  'You can change files in the workspace. This endpoint has no tool calls, so write each change as a fenced edit block:',
  '```edit path/relative/to/workspace',
  '<<<<<<< SEARCH',
  'the exact lines to replace, copied from the file (they must occur once)',
  '=======',
  'the lines to put in their place',
  '>>>>>>> REPLACE',
  '```',
  'Use an empty SEARCH part to create a new file. Keep each SEARCH part short but unique. Never replace a whole file with nothing.',
].join('\n');

const FENCE_OPEN = /^\s*(`{3,}|~{3,})\s*edit\s+(\S.*?)\s*$/;
const SEARCH = /^\s*<{5,9} ?SEARCH\s*$/;
const DIVIDER = /^\s*={5,9}\s*$/;
const REPLACE = /^\s*>{5,9} ?REPLACE\s*$/;

type Phase = 'text' | 'header' | 'search' | 'replace' | 'close';

/** Reads blocks from text that arrives in pieces; each line is looked at once. */
export class EditBlockParser {
  private partial = '';
  private phase: Phase = 'text';
  private fence = '';
  private path = '';
  private search: string[] = [];
  private replace: string[] = [];

  /** More answer text; returns the blocks it completed. */
  push(text: string): EditBlock[] {
    const out: EditBlock[] = [];
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      const line = this.partial + text.slice(from, nl);
      this.partial = '';
      this.line(line.endsWith('\r') ? line.slice(0, -1) : line, out);
      from = nl + 1;
    }
    this.partial += text.slice(from);
    return out;
  }

  /** The answer ended: a last line without a newline still counts. */
  end(): EditBlock[] {
    const out: EditBlock[] = [];
    if (this.partial) this.line(this.partial, out);
    this.partial = '';
    // A block whose closing fence never came is still whole once REPLACE was read.
    if (this.phase === 'close') this.emit(out);
    this.phase = 'text';
    return out;
  }

  private line(line: string, out: EditBlock[]): void {
    switch (this.phase) {
      case 'text': {
        const open = FENCE_OPEN.exec(line);
        if (open) {
          this.fence = open[1];
          this.path = open[2];
          this.search = [];
          this.replace = [];
          this.phase = 'header';
        }
        return;
      }
      case 'header':
        if (SEARCH.test(line)) this.phase = 'search';
        else if (line.trim().startsWith(this.fence)) this.phase = 'text';
        return;
      case 'search':
        if (DIVIDER.test(line)) this.phase = 'replace';
        else this.search.push(line);
        return;
      case 'replace':
        if (REPLACE.test(line)) this.phase = 'close';
        else this.replace.push(line);
        return;
      case 'close':
        // Another SEARCH in the same fence is a second change to the same file.
        if (SEARCH.test(line)) {
          this.emit(out);
          this.search = [];
          this.replace = [];
          this.phase = 'search';
        } else if (line.trim().startsWith(this.fence)) {
          this.emit(out);
          this.phase = 'text';
        }
        return;
    }
  }

  private emit(out: EditBlock[]): void {
    const joined = (lines: string[]) => (lines.length ? lines.join('\n') + '\n' : '');
    out.push({ path: this.path, search: joined(this.search), replace: joined(this.replace) });
  }
}

/** All blocks of a whole answer. */
export function parseEditBlocks(text: string): EditBlock[] {
  const parser = new EditBlockParser();
  return [...parser.push(text), ...parser.end()];
}

/** A block as the tool call it stands for, so it is checked and reviewed like one. */
export function blockToToolCall(block: EditBlock, id: string): ToolCall {
  const create = block.search.trim() === '';
  return {
    id,
    type: 'function',
    function: create
      ? { name: 'create_file', arguments: JSON.stringify({ path: block.path, content: block.replace }) }
      : {
          name: 'replace_in_file',
          arguments: JSON.stringify({ path: block.path, old_text: block.search, new_text: block.replace }),
        },
  };
}
