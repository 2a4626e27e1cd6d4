import type { Token } from 'markdown-it';
import { parseMarkdown, renderTokens } from './markdown';

/**
 * A reference definition (`[x]: url`) anywhere, even inside a list or quote, changes links in
 * blocks before it; a message holding one is re-rendered whole instead of block by block.
 */
const REFERENCE_DEFINITION = /^[ \t>]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+[ \t>]*)*\[(?:[^\]\\\n]|\\.)+\]:/m;

/** Turns markdown-it's HTML into safe, decorated nodes of the live document. */
export type HtmlToNodes = (html: string) => DocumentFragment;

/**
 * Top-level nodes per group. A message longer than this has its blocks in groups of this many,
 * filled in order, so the DOM depends only on the text (streamed or not, the same groups; a short
 * message has none). Each group is contained (media/chat/markdown.css): a frame that changes the
 * tail lays out and paints the last group, and the groups before it keep their layout, or skip it
 * altogether while off screen.
 */
const GROUP_SIZE = 32;

/**
 * Markdown that grows at its end. Top-level blocks whose end is settled are rendered once and kept;
 * only the unsettled tail is parsed and rendered again, so a frame costs about the size of the last
 * block, not of the whole answer. The DOM is at all times what a one-shot render of the text
 * received so far would give.
 *
 * A block is settled once the block after it has two complete lines: markdown-it decides where a
 * block ends from the line that starts the next one, and a table header needs one line more.
 */
export class MarkdownStream {
  /** Text of the settled blocks, never parsed again; kept apart so a frame never copies it. */
  private settledText = '';
  /** Text from the first line of the first unsettled top-level block to the end. */
  private tailText = '';
  private afterCarriageReturn = false;
  private tailNodes: ChildNode[] = [];
  private wholeText = false;
  /** The groups in the container, in order; only the last one may have room. */
  private groups: HTMLElement[] = [];
  /** Top-level nodes rendered, grouped or not. */
  private nodeCount = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly toNodes: HtmlToNodes,
  ) {}

  /** Line endings are normalised here as markdown-it would, so line numbers map to offsets. */
  append(chunk: string): void {
    if (!chunk) return;
    let part = chunk;
    if (this.afterCarriageReturn && part.startsWith('\n')) part = part.slice(1);
    this.afterCarriageReturn = chunk.endsWith('\r');
    this.tailText += part.replace(/\r\n?/g, '\n');
  }

  /** Renders what has arrived; `final` settles the tail too (the message is complete). */
  render(final: boolean): void {
    if (!this.wholeText && REFERENCE_DEFINITION.test(this.tailText)) {
      this.wholeText = true;
      this.container.replaceChildren();
      this.groups = [];
      this.nodeCount = 0;
      this.tailNodes = [];
      this.tailText = this.settledText + this.tailText;
      this.settledText = '';
    }
    const env = {};
    const tokens = parseMarkdown(this.tailText, env);
    this.removeTail();
    let rest = tokens;
    if (!this.wholeText) {
      const split = final
        ? { token: tokens.length, chars: this.tailText.length }
        : settledPrefix(tokens, this.tailText);
      if (split.token > 0) {
        this.place(this.toNodes(renderTokens(tokens.slice(0, split.token), env)));
        this.settledText += this.tailText.slice(0, split.chars);
        this.tailText = this.tailText.slice(split.chars);
        rest = tokens.slice(split.token);
      }
    }
    this.tailNodes = this.place(this.toNodes(renderTokens(rest, env)));
  }

  /** Appends the fragment's nodes; past GROUP_SIZE nodes, all of them go into groups. */
  private place(fragment: DocumentFragment): ChildNode[] {
    const nodes = Array.from(fragment.childNodes);
    this.nodeCount += nodes.length;
    if (!this.groups.length && this.nodeCount > GROUP_SIZE) this.group(Array.from(this.container.childNodes));
    if (this.groups.length) {
      this.group(nodes);
    } else {
      this.container.append(...nodes);
    }
    return nodes;
  }

  /** Appends nodes to the groups, opening a new group whenever the last is full. */
  private group(nodes: ChildNode[]): void {
    let group = this.groups.at(-1);
    for (const node of nodes) {
      if (!group || group.childNodes.length >= GROUP_SIZE) {
        group = document.createElement('div');
        group.className = 'md-group';
        this.container.append(group);
        this.groups.push(group);
      }
      group.append(node);
    }
  }

  /** Takes the tail out, and the groups it leaves empty, so the groups stay as a one-shot render fills them. */
  private removeTail(): void {
    for (const node of this.tailNodes) node.remove();
    this.nodeCount -= this.tailNodes.length;
    this.tailNodes = [];
    while (this.groups.length && !this.groups.at(-1)!.hasChildNodes()) this.groups.pop()!.remove();
    if (this.groups.length && this.nodeCount <= GROUP_SIZE) {
      const nodes = this.groups.flatMap((group) => Array.from(group.childNodes));
      for (const group of this.groups) group.remove();
      this.groups = [];
      this.container.append(...nodes);
    }
  }
}

/** The tokens (and the characters of `text`) of the top-level blocks that later text cannot change. */
function settledPrefix(tokens: Token[], text: string): { token: number; chars: number } {
  const completeLines = countLines(text);
  let settled = { token: 0, line: 0 };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.level !== 0 || token.nesting === -1 || !token.map) continue;
    const firstLine = token.map[0];
    if (firstLine + 2 > completeLines) break;
    settled = { token: i, line: firstLine };
  }
  return { token: settled.token, chars: lineOffset(text, settled.line) };
}

function countLines(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

function lineOffset(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}
