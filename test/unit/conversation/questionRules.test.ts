import assert from 'node:assert/strict';
import type { ChatMessage, ContentPart } from '../../../src/common/endpoint/chatTypes';
import { withEditSystem } from '../../../src/common/conversation/editRounds';
import type { ContextChip } from '../../../src/common/panel/protocol';
import { ChatSession } from '../../../src/common/conversation/chatSession';
import { sse } from '../../fakeServer/fakeServer';
import { sessionHarness } from './sessionHarness';

type Body = { messages: { role: string; content: string | ContentPart[] }[] };

const ok = (text: string) => () =>
  new Response(sse(text), { status: 200, headers: { 'content-type': 'text/event-stream' } });

const rulesChip = (n: number): ContextChip => ({ label: `Rules (${n})`, kind: 'rules', tokens: 10 * n });
const fileChip = (path: string, tokens: number): ContextChip => ({
  label: path,
  kind: 'file',
  tokens,
  mention: { kind: 'file', path },
});

describe("A question's rules and mentions", () => {
  it('sends the rules that applied as the system message, and shows their chip with the question', async () => {
    const asked: (readonly string[])[] = [];
    const { session, bodies, panel } = sessionHarness<Body>([ok('A1'), ok('A2')], {
      deps: {
        instructions: async (files) => {
          asked.push(files);
          return { system: `rules for ${files.join(',') || 'nothing'}`, chip: rulesChip(1) };
        },
      },
    });
    await session.send({ display: 'q1', content: 'q1', files: ['/w/src/a.ts'] });
    await session.send({ display: 'q2', content: 'q2' });
    assert.deepEqual(asked, [['/w/src/a.ts'], []]);
    assert.deepEqual(bodies[0].messages, [
      { role: 'system', content: 'rules for /w/src/a.ts' },
      { role: 'user', content: 'q1' },
    ]);
    // Each question carries the rules read for it; the request has the last question's.
    assert.deepEqual(bodies[1].messages[0], { role: 'system', content: 'rules for nothing' });
    assert.equal(bodies[1].messages.filter((m) => m.role === 'system').length, 1);
    assert.deepEqual(panel()[0].context, [rulesChip(1)]);
  });

  it('sends no system message when nothing applies', async () => {
    const { session, bodies } = sessionHarness<Body>([ok('A')], {
      deps: { instructions: async () => ({ system: '' }) },
    });
    await session.send({ display: 'q', content: 'q' });
    assert.deepEqual(bodies[0].messages, [{ role: 'user', content: 'q' }]);
  });

  it('Regenerate and an edited resend read the mentions and rules again, replacing only their parts', async () => {
    let version = 1;
    const reread: { context: readonly ContextChip[]; files: readonly string[] }[] = [];
    const { session, bodies, panel } = sessionHarness<Body>([ok('A1'), ok('A2'), ok('A3')], {
      deps: {
        reread: async (context, files) => {
          reread.push({ context, files });
          version++;
          return {
            parts: [{ type: 'text', text: `a.ts v${version}` }],
            context: [
              ...context.filter((c) => !c.mention && c.kind !== 'rules'),
              fileChip('a.ts', version),
              rulesChip(version),
            ],
            system: `rules v${version}`,
          };
        },
      },
    });
    await session.send({
      display: 'q',
      content: [
        { type: 'text', text: 'q' },
        { type: 'text', text: 'selection part' },
        { type: 'text', text: 'a.ts v1' },
      ],
      context: [{ label: 'a.ts:1-2' }, fileChip('a.ts', 1)],
      mentionParts: 1,
      system: 'rules v1',
      files: ['/w/a.ts'],
    });
    await session.regenerate();
    assert.deepEqual(bodies[1].messages, [
      { role: 'system', content: 'rules v2' },
      {
        role: 'user',
        // Text parts only: the request builder sends them as one string, as every relay takes.
        content: 'q\n\nselection part\n\na.ts v2',
      },
    ]);
    assert.deepEqual(reread[0], {
      context: [{ label: 'a.ts:1-2' }, fileChip('a.ts', 1)],
      files: ['/w/a.ts'],
    });
    assert.deepEqual(panel()[0].context, [{ label: 'a.ts:1-2' }, fileChip('a.ts', 2), rulesChip(2)]);

    await session.edit(panel()[0].id, 'q edited');
    assert.deepEqual(bodies[2].messages, [
      { role: 'system', content: 'rules v3' },
      {
        role: 'user',
        content: 'q edited\n\nselection part\n\na.ts v3',
      },
    ]);
    assert.deepEqual(panel()[0].context, [{ label: 'a.ts:1-2' }, fileChip('a.ts', 3), rulesChip(3)]);
    assert.deepEqual(
      panel().map((m) => m.text),
      ['q edited', 'A3'],
    );
  });

  it('keeps a question system message and files across a save and a restore', async () => {
    const { session } = sessionHarness<Body>([ok('A')], {
      deps: { instructions: async () => ({ system: 'be brief', chip: rulesChip(1) }) },
    });
    await session.send({ display: 'q', content: 'q', files: ['/w/a.ts'], mentionParts: 0 });
    const record = JSON.parse(JSON.stringify(session.toRecord())) as ReturnType<ChatSession['toRecord']>;
    assert.equal(record.turns[0].system, 'be brief');
    assert.deepEqual(record.turns[0].files, ['/w/a.ts']);
    const { session: again, bodies } = sessionHarness<Body>([ok('B')]);
    again.restore(record);
    // Continue after a restart asks with the rules the question had.
    assert.deepEqual(again.apiMessages()[0], { role: 'system', content: 'be brief' });
    await again.send({ display: 'q2', content: 'q2' });
    // A new question gets the rules read for it (here none): the old question's are not reused.
    assert.deepEqual(bodies[0].messages[0], { role: 'user', content: 'q' });
  });

  it("puts the edit tools' rules and the question's system message in one system message", () => {
    const history: ChatMessage[] = [
      { role: 'system', content: 'project rules' },
      { role: 'user', content: 'q' },
    ];
    assert.deepEqual(withEditSystem('tool rules', history), [
      { role: 'system', content: 'tool rules\n\nproject rules' },
      { role: 'user', content: 'q' },
    ]);
    assert.deepEqual(withEditSystem('tool rules', [{ role: 'user', content: 'q' }]), [
      { role: 'system', content: 'tool rules' },
      { role: 'user', content: 'q' },
    ]);
  });
});
