/**
 * The workspace as context, in a real VS Code, through what a person does: `@` and a few letters in
 * the composer, a real TypeScript error, a real bash terminal with shell integration, a real git
 * repository, the project's AGENTS.md files, a secret that asks first, a binary and a long file,
 * and Add to Chat from the Explorer. Each request is read from the fake endpoint as it arrived.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { sse } from '../fakeServer/fakeServer';
import { useWorkbench, type ChatBody } from './fixture';
import { ensurePanel, openFile, runCommand, textOf } from './workbench';
import { fencedFile } from '../../src/common/mentions/fence';
import { compactTokens } from '../../src/common/context/tokenLabels';
import { estimateTokens } from '../../src/common/tokens/estimateTokens';

const UTIL = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
const BIG_LINES = 9_000;

function prepare(dir: string): void {
  const write = (path: string, text: string | Buffer) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('src/util.ts', UTIL);
  write('src/broken.ts', "export const count: number = 'three';\n");
  write('AGENTS.md', '# Root rules\nAnswer in English.\n');
  write('pkg/AGENTS.md', 'Nested rule: pkg files use tabs.\n');
  write('pkg/inner.ts', 'export const inner = 1;\n');
  write('other/plain.ts', 'export const plain = 2;\n');
  write('other/tool.py', 'print("py")\n');
  write(
    '.github/instructions/python.instructions.md',
    '---\napplyTo: "**/*.py"\n---\nPython rule: use type hints.\n',
  );
  write('.env', 'DATABASE_URL=postgres://user:pw@localhost/db\n');
  write(
    'data/big.txt',
    Array.from({ length: BIG_LINES }, (_, i) => `line ${i + 1}: the quick brown fox jumps`).join('\n') + '\n',
  );
  write('ignored/hidden.ts', 'export const hidden = true;\n');
  write('.gitignore', 'ignored/\n');
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@e',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@e',
      },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'start');
  // One unstaged change for @changes.
  write('src/util.ts', UTIL.replace('a + b', 'a + b + 0'));
}

describe('Mentions and rules in a real VS Code', function () {
  this.timeout(180_000);
  const wb = useWorkbench({}, { prepareWorkspace: prepare });
  const panel = () => wb.panel();
  const composer = () => panel().locator('textarea[data-testid="composer"]');
  const chips = (kind: string) =>
    panel().locator(`.composer [data-testid="context-chip"][data-kind="${kind}"]`);
  const lastUser = (body: ChatBody) => {
    const content = body.messages.filter((m) => m.role === 'user').at(-1)!.content;
    return typeof content === 'string' ? content : content.map((p) => p.text ?? '').join('\n\n');
  };
  const systemOf = (body: ChatBody) => {
    const m = body.messages.find((x) => x.role === 'system');
    return typeof m?.content === 'string' ? m.content : '';
  };

  /** Types `@query` and picks the row for `kind` (and `path`) with the arrows and Enter. */
  async function mention(query: string, kind: string, path?: string): Promise<void> {
    await ensurePanel(wb.page);
    await composer().click();
    await composer().pressSequentially(`@${query}`, { delay: 20 });
    const picker = panel().locator('[data-testid="mention-picker"]');
    const wanted = picker.locator(
      `[data-testid="mention-item"][data-kind="${kind}"]${path ? `[data-path="${path}"]` : ''}`,
    );
    await wanted.first().waitFor({ timeout: 15_000 });
    if (process.env.RELAY_PICKER_SHOT) await wb.page.screenshot({ path: process.env.RELAY_PICKER_SHOT });
    for (let i = 0; i < 30 && (await wanted.first().getAttribute('aria-selected')) !== 'true'; i++)
      await composer().press('ArrowDown');
    await composer().press('Enter');
    await picker.waitFor({ state: 'hidden', timeout: 5_000 });
  }

  async function send(text: string, answer = 'ok'): Promise<ChatBody> {
    const before = wb.chatRequests().length;
    wb.server.enqueue({ body: sse(answer) });
    await composer().pressSequentially(text);
    await composer().press('Enter');
    await wb.waitForRequests(before + 1);
    await panel()
      .locator('[data-role="assistant"]:not([data-streaming])')
      .last()
      .waitFor({ timeout: 30_000 });
    return wb.lastBody();
  }

  async function tokensOf(kind: string): Promise<string> {
    const tokens = chips(kind).last().locator('[data-role="tokens"]');
    await tokens.waitFor({ timeout: 15_000 });
    return textOf(tokens);
  }

  it('@ + a few letters + Enter adds a file chip with its tokens, and the request carries the file fenced under its path', async () => {
    await wb.newChat();
    await mention('utilts', 'file', 'src/util.ts');
    const onDisk = readFileSync(join(wb.vscode.workspace, 'src/util.ts'), 'utf8');
    const part = fencedFile('src/util.ts', onDisk);
    assert.equal(await tokensOf('file'), compactTokens(estimateTokens(part)));
    const body = await send('What does util do?');
    assert.equal(lastUser(body), `What does util do?\n\n${part}`);
    // The chip stays with the sent question.
    const sent = panel().locator('[data-role="user"] [data-testid="context-chip"][data-kind="file"]');
    assert.equal(await sent.count(), 1);
    assert.equal(await chips('file').count(), 0, 'the composer is empty again');
  });

  it('Regenerate reads a mentioned file again from disk', async () => {
    await wb.newChat();
    await mention('utilts', 'file', 'src/util.ts');
    const first = lastUser(await send('And now?'));
    const path = join(wb.vscode.workspace, 'src/util.ts');
    const before = readFileSync(path, 'utf8');
    assert.equal(first, `And now?\n\n${fencedFile('src/util.ts', before)}`);
    const after = `${before}export const regenerated = true;\n`;
    writeFileSync(path, after);
    wb.server.enqueue({ body: sse('again') });
    await panel().locator('[data-role="assistant"] [data-testid="regenerate"]').click();
    await wb.waitForRequests(2);
    assert.equal(lastUser(wb.lastBody()), `And now?\n\n${fencedFile('src/util.ts', after)}`);
    await panel()
      .locator('[data-role="assistant"]:not([data-streaming])')
      .last()
      .waitFor({ timeout: 30_000 });
    writeFileSync(path, before);
  });

  it('does not offer a file .gitignore leaves out', async () => {
    await wb.newChat();
    await ensurePanel(wb.page);
    await composer().click();
    await composer().pressSequentially('@hidden', { delay: 20 });
    const picker = panel().locator('[data-testid="mention-picker"]');
    await picker.waitFor({ timeout: 15_000 });
    await wb.page.waitForTimeout(500);
    assert.equal(await picker.locator('[data-path="ignored/hidden.ts"]').count(), 0);
    await composer().press('Escape');
    await composer().fill('');
  });

  it('@problems carries the real TypeScript error of the active file', async () => {
    await wb.newChat();
    await openFile(wb.page, 'src/broken.ts');
    // The built-in TypeScript service reports it: the squiggle is there.
    await wb.page.locator('.squiggly-error').first().waitFor({ timeout: 60_000 });
    await mention('problems', 'problems');
    await tokensOf('problems');
    const body = await send('Why?');
    const text = lastUser(body);
    assert.match(
      text,
      /^src\/broken\.ts:1:14 error ts\(?2322\)?: Type 'string' is not assignable to type 'number'\.$/m,
    );
  });

  it('@terminal carries the last command, its output and its exit code from a bash terminal', async () => {
    await wb.newChat();
    await runCommand(wb.page, 'Terminal: Create New Terminal');
    const terminal = wb.page.locator('.terminal-wrapper.active .xterm-helper-textarea');
    await terminal.waitFor({ timeout: 30_000 });
    // Shell integration is injected as bash starts; give it its prompt first.
    await wb.page.waitForTimeout(3_000);
    // A command that prints at once can finish before VS Code hands its output to an extension (the
    // API reads from when the extension starts listening, which trails a busy machine): like a
    // build, this one prints a moment after it starts. The request then says what it could not read.
    await terminal.pressSequentially("bash -c 'sleep 2; echo from-the-terminal; exit 3'\n", { delay: 10 });
    // The terminal draws on a canvas; shell integration marks the failed command with its decoration.
    await wb.page.locator('.terminal-command-decoration.error').first().waitFor({ timeout: 30_000 });
    await mention('terminal', 'terminal');
    await tokensOf('terminal');
    const text = lastUser(await send('What failed?'));
    assert.match(text, /bash -c 'sleep 2; echo from-the-terminal; exit 3'/);
    assert.match(text, /^from-the-terminal$/m);
    assert.match(text, /exit code:? 3/i);
  });

  it('@changes carries the real git diff of the working tree', async () => {
    await wb.newChat();
    await mention('changes', 'changes');
    await tokensOf('changes');
    const text = lastUser(await send('Review this.'));
    assert.match(text, /^- {2}return a \+ b;$/m);
    assert.match(text, /^\+ {2}return a \+ b \+ 0;$/m);
    assert.match(text, /src\/util\.ts/);
  });

  it('applies the nested AGENTS.md to the file below it and not elsewhere', async () => {
    await wb.newChat();
    await mention('innerts', 'file', 'pkg/inner.ts');
    const rules = panel().locator('.composer [data-testid="context-chip"][data-kind="rules"]');
    await rules.waitFor({ timeout: 15_000 });
    const withNested = systemOf(await send('About inner.'));
    assert.match(withNested, /<rules path="AGENTS\.md">\n# Root rules\nAnswer in English\.\n<\/rules>/);
    assert.match(withNested, /<rules path="pkg\/AGENTS\.md">\nNested rule: pkg files use tabs\.\n<\/rules>/);
    const sentRules = panel().locator('[data-role="user"] [data-testid="context-chip"][data-kind="rules"]');
    assert.equal(await sentRules.count(), 1);

    await wb.newChat();
    await mention('plaints', 'file', 'other/plain.ts');
    const without = systemOf(await send('About plain.'));
    assert.match(without, /<rules path="AGENTS\.md">/);
    assert.doesNotMatch(without, /Nested rule/);
  });

  it('applies an applyTo rule only when its glob matches a file of the question', async () => {
    await wb.newChat();
    await mention('toolpy', 'file', 'other/tool.py');
    assert.match(systemOf(await send('About the script.')), /Python rule: use type hints\./);
    await wb.newChat();
    await mention('plaints', 'file', 'other/plain.ts');
    assert.doesNotMatch(systemOf(await send('About plain again.')), /Python rule/);
  });

  it('asks before sending a .env file, naming it, and sends it on Send', async () => {
    await wb.newChat();
    await mention('.env', 'file', '.env');
    const note = chips('file').last().locator('[data-role="note"]');
    await note.first().waitFor({ timeout: 15_000 });
    assert.equal(await textOf(note.first()), 'looks like a secret: asks before sending');
    wb.server.enqueue({ body: sse('ok') });
    await composer().pressSequentially('Is this config right?');
    await composer().press('Enter');
    const dialog = wb.page.locator('.monaco-dialog-box', {
      hasText: '.env looks like a secret. Send it to the model?',
    });
    await dialog.waitFor({ timeout: 30_000 });
    assert.equal(wb.chatRequests().length, 0, 'nothing is sent before the answer');
    await dialog.locator('.monaco-button', { hasText: 'Send .env' }).click();
    await wb.waitForRequests(1);
    assert.match(lastUser(wb.lastBody()), /DATABASE_URL=postgres:\/\/user:pw@localhost\/db/);
  });

  it('says on the chip and in the request that a binary file is not sent and a long file was cut', async () => {
    await wb.newChat();
    await mention('logopng', 'file', 'images/logo.png');
    await mention('bigtxt', 'file', 'data/big.txt');
    const binaryNote = chips('file').first().locator('[data-role="note"]');
    await binaryNote.first().waitFor({ timeout: 15_000 });
    assert.equal(await textOf(binaryNote.first()), 'binary: not sent');
    const cutNote = chips('file').last().locator('[data-role="note"]');
    await cutNote.first().waitFor({ timeout: 15_000 });
    const cut = await textOf(cutNote.first());
    assert.match(cut, /^lines 1–[\d,]+ of 9,000 sent$/);
    const text = lastUser(await send('Summarise.'));
    assert.match(text, /^\(images\/logo\.png is a binary file; it was not sent\.\)$/m);
    assert.ok(text.includes(`(${cut})`), `the request says "${cut}" too`);
    assert.match(text, /^line 1: the quick brown fox jumps$/m);
    assert.doesNotMatch(text, /^line 9000:/m);
  });

  it('Add to Chat from the Explorer adds the selected file as a mention', async () => {
    await wb.newChat();
    const row = wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^README\.md$/ });
    const menuItem = wb.page.locator('.context-view .action-label', { hasText: /^Add to Chat$/ });
    // Should the menu still miss the click under load, a person who sees no chip tries again.
    for (let attempt = 1; ; attempt++) {
      await runCommand(wb.page, 'View: Show Explorer');
      await row.first().waitFor({ timeout: 15_000 });
      await row.first().click({ button: 'right' });
      await menuItem.first().waitFor({ timeout: 5_000 });
      // Add to Chat shows the panel itself: no palette command here, whose keys could reach the
      // Explorer (Enter on its selected row) before the palette opens.
      // VS Code's menu ignores a click that comes right as it opens (so the right button's release
      // picks nothing): point at the item first, as a hand does on its way.
      await menuItem.first().hover();
      await wb.page.waitForTimeout(300);
      await menuItem.first().click();
      const added = await chips('file')
        .first()
        .waitFor({ timeout: attempt === 3 ? 15_000 : 5_000 })
        .then(() => true)
        .catch((err: unknown) => {
          if (attempt === 3) throw err;
          return false;
        });
      if (added) break;
    }
    assert.equal(await chips('file').count(), 1);
    assert.equal(await textOf(chips('file').first().locator('.chip-label')), 'README.md');
    const onDisk = readFileSync(join(wb.vscode.workspace, 'README.md'), 'utf8');
    const body = await send('What is this?');
    assert.equal(lastUser(body), `What is this?\n\n${fencedFile('README.md', onDisk)}`);
  });
});

export type { Page };
