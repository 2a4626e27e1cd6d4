import assert from 'node:assert/strict';
import type { ChatMessage, ToolCall } from '../../../src/common/endpoint/chatTypes';
import type { EditPlan, EditTurn, ToolRun } from '../../../src/common/edits/editTurn';
import { EDIT_BLOCK_PROMPT } from '../../../src/common/edits/editBlocks';
import { editTools } from '../../../src/common/edits/toolSchemas';
import { sse } from '../../fakeServer/fakeServer';
import { toolCallSse } from '../../fakeServer/toolCallStream';
import { sessionHarness } from '../conversation/sessionHarness';

const sseResponse = (body: string) =>
  new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });

interface Body {
  messages: ChatMessage[];
  tools?: { function: { name: string } }[];
  tool_choice?: unknown;
}

/** An EditTurn that records what the session asked of it and answers from a table. */
class FakeTurn implements EditTurn {
  fragments: string[] = [];
  runs: ToolCall[] = [];
  rounds = 0;
  fellBack = false;
  constructor(
    public plan: EditPlan,
    private readonly answer: (call: ToolCall) => ToolRun,
  ) {}
  fallback(): EditPlan {
    this.fellBack = true;
    return { system: EDIT_BLOCK_PROMPT, blocks: true, maxRounds: this.plan.maxRounds };
  }
  onArguments(_index: number, _name: string, fragment: string): void {
    this.fragments.push(fragment);
  }
  async run(call: ToolCall, _index: number): Promise<ToolRun> {
    this.runs.push(call);
    return this.answer(call);
  }
  async endRound(): Promise<void> {
    this.rounds++;
  }
}

function harness(responses: (() => Response)[], turn: FakeTurn | undefined) {
  return sessionHarness<Body>(responses, { editTurn: turn });
}

const plan = (maxRounds = 5): EditPlan => ({
  tools: editTools(false),
  system: 'RULES',
  blocks: false,
  maxRounds,
});

describe('edit mode tool rounds', () => {
  it('runs three rounds in one turn, each call answered by a tool message with its id', async () => {
    const turn = new FakeTurn(plan(), (call) =>
      call.function.name === 'read_file'
        ? { status: 'done', result: '1| a', target: 'a.ts:1-1' }
        : { status: 'applied', result: 'Replaced lines 1-1 of a.ts.', target: 'a.ts:1-1' },
    );
    const { session, bodies, panel } = harness(
      [
        () =>
          sseResponse(
            toolCallSse([{ name: 'read_file', arguments: { path: 'a.ts' }, id: 'c1' }], { text: 'Reading.' }),
          ),
        () =>
          sseResponse(
            toolCallSse([
              {
                name: 'replace_in_file',
                arguments: { path: 'a.ts', old_text: 'a', new_text: 'b' },
                id: 'c2',
              },
            ]),
          ),
        () => sseResponse(toolCallSse([{ name: 'read_file', arguments: { path: 'a.ts' }, id: 'c3' }])),
        () => sseResponse(sse('Done.')),
      ],
      turn,
    );
    await session.send({ display: 'fix', content: 'fix' });
    assert.equal(bodies.length, 4);
    assert.deepEqual(
      bodies[0].tools?.map((t) => t.function.name),
      ['read_file', 'list_files', 'search_text', 'get_problems', 'replace_in_file', 'create_file'],
    );
    assert.deepEqual(bodies[0].messages, [
      { role: 'system', content: 'RULES' },
      { role: 'user', content: 'fix' },
    ]);
    assert.deepEqual(bodies[1].messages.slice(2), [
      {
        role: 'assistant',
        content: 'Reading.',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '1| a' },
    ]);
    assert.deepEqual(
      bodies[3].messages
        .filter((m) => m.role === 'tool')
        .map((m) => (m as { tool_call_id: string }).tool_call_id),
      ['c1', 'c2', 'c3'],
    );
    // The arguments streamed fragment by fragment before each call ran.
    assert.equal(
      turn.fragments.join(''),
      '{"path":"a.ts"}{"path":"a.ts","old_text":"a","new_text":"b"}{"path":"a.ts"}',
    );
    assert.equal(turn.rounds, 4);
    const [, answer] = panel();
    assert.equal(answer.text, 'Reading.Done.');
    assert.equal(answer.status, 'complete');
    assert.deepEqual(
      answer.toolCalls?.map((c) => c.id),
      ['c1', 'c2', 'c3'],
    );
    assert.deepEqual(
      answer.toolResults?.map((r) => r.status),
      ['done', 'applied', 'done'],
    );
    assert.equal(answer.toolResults?.[1].target, 'a.ts:1-1');
    // The next question carries the rounds in its history.
    assert.deepEqual(
      session.apiMessages().map((m) => m.role),
      ['user', 'assistant', 'tool', 'assistant', 'tool', 'assistant', 'tool', 'assistant'],
    );
  });

  it('stops at maxRounds and says so', async () => {
    const turn = new FakeTurn(plan(2), () => ({ status: 'done', result: 'ok' }));
    const again = () => sseResponse(toolCallSse([{ name: 'list_files', arguments: {} }]));
    const { session, bodies, panel } = harness([again, again, again], turn);
    await session.send({ display: 'go', content: 'go' });
    assert.equal(bodies.length, 2);
    assert.deepEqual(panel()[1].notices, ['Stopped after 2 tool rounds (relayChat.edits.maxRounds).']);
  });

  it('gives the refusal text back to the model as the tool result', async () => {
    const refusal =
      'old_text occurs 2 times in a.ts (lines 1 and 3); include more surrounding lines so it occurs once.';
    const turn = new FakeTurn(plan(), () => ({ status: 'refused', result: refusal, target: 'a.ts' }));
    const { session, bodies, panel } = harness(
      [
        () =>
          sseResponse(
            toolCallSse([
              {
                name: 'replace_in_file',
                arguments: { path: 'a.ts', old_text: 'x', new_text: 'y' },
                id: 'r1',
              },
            ]),
          ),
        () => sseResponse(sse('Sorry.')),
      ],
      turn,
    );
    await session.send({ display: 'go', content: 'go' });
    assert.deepEqual(bodies[1].messages[bodies[1].messages.length - 1], {
      role: 'tool',
      tool_call_id: 'r1',
      content: refusal,
    });
    assert.deepEqual(panel()[1].toolResults, [{ status: 'refused', result: refusal, target: 'a.ts' }]);
  });

  it('falls back to edit blocks when the endpoint refuses tools', async () => {
    const turn = new FakeTurn(plan(), () => ({ status: 'applied', result: 'Replaced.', target: 'a.ts:1-1' }));
    const blocks = 'Here:\n```edit a.ts\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```\n';
    const { session, bodies, panel } = harness(
      [
        () =>
          new Response(
            JSON.stringify({ error: { message: 'tools is not supported', type: 'invalid_request_error' } }),
            {
              status: 400,
              headers: { 'content-type': 'application/json' },
            },
          ),
        // No retry without tools by the client: the session asks again, for blocks.
        () => sseResponse(sse(blocks)),
      ],
      turn,
    );
    await session.send({ display: 'go', content: 'go' });
    assert.equal(turn.fellBack, true);
    assert.equal(bodies.length, 2);
    const last = bodies[bodies.length - 1];
    assert.equal(last.tools, undefined);
    assert.equal(last.messages[0].content, EDIT_BLOCK_PROMPT);
    assert.deepEqual(JSON.parse(turn.runs[0].function.arguments), {
      path: 'a.ts',
      old_text: 'a\n',
      new_text: 'b\n',
    });
    const answer = panel()[1];
    assert.deepEqual(answer.notices, [
      'This endpoint takes no tools: edit mode asks for edit blocks in the answer instead.',
    ]);
    assert.deepEqual(
      answer.toolResults?.map((r) => r.status),
      ['applied'],
    );
  });

  it('asks without tools in ask mode', async () => {
    const { session, bodies } = harness([() => sseResponse(sse('Hi'))], undefined);
    await session.send({ display: 'go', content: 'go' });
    assert.equal(bodies[0].tools, undefined);
    assert.deepEqual(bodies[0].messages, [{ role: 'user', content: 'go' }]);
  });
});

describe('edit mode with a remembered text fallback', () => {
  it('asks for edit blocks without tools and says so on the answer', async () => {
    const notice = 'Edit mode asks for edit blocks in the answer: this endpoint and model take no tools.';
    const turn = new FakeTurn({ system: EDIT_BLOCK_PROMPT, blocks: true, maxRounds: 5, notice }, () => ({
      status: 'applied',
      result: 'Created.',
      target: 'n.txt',
    }));
    const { session, bodies, panel } = harness(
      [() => sseResponse(sse('```edit n.txt\n<<<<<<< SEARCH\n=======\nnew\n>>>>>>> REPLACE\n```\n'))],
      turn,
    );
    await session.send({ display: 'go', content: 'go' });
    assert.equal(bodies.length, 1);
    assert.equal(bodies[0].tools, undefined);
    assert.equal(turn.runs[0].function.name, 'create_file');
    assert.deepEqual(panel()[1].notices, [notice]);
  });
});
