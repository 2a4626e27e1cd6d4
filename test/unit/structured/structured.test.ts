/**
 * Structured output in the vscode-free core: the request a schema makes, the answer checked against
 * it (errors at their paths), schemas read from files or pastes, and the json_object downgrade.
 */
import assert from 'node:assert/strict';
import { MemoryCapabilityStore } from '../../../src/common/endpoint/capabilities';
import type { ChatCompletionRequest } from '../../../src/common/endpoint/chatTypes';
import { applyDowngrades, detectDowngrade } from '../../../src/common/endpoint/paramDowngrade';
import { buildChatRequest } from '../../../src/common/endpoint/requestBuilder';
import type { EditTurn } from '../../../src/common/edits/editTurn';
import { isHostToWebview, isWebviewToHost } from '../../../src/common/panel/protocolGuards';
import { parseAnswerJson, prettyJsonBlock } from '../../../src/common/structured/answerJson';
import {
  describeSchemaProblem,
  readSchema,
  schemaName,
  storedSchema,
} from '../../../src/common/structured/schemaSource';
import { jsonSchemaFormat, schemaInstruction } from '../../../src/common/structured/structuredRequest';
import type { StructuredSchema } from '../../../src/common/structured/structuredTypes';
import { checkAnswer } from '../../../src/common/structured/validateAnswer';
import { jsonError, sse } from '../../fakeServer/fakeServer';
import { sessionHarness } from '../conversation/sessionHarness';

const INVOICE: StructuredSchema = {
  name: 'invoice',
  schema: {
    type: 'object',
    required: ['items', 'total'],
    additionalProperties: false,
    properties: {
      items: { type: 'array', items: { $ref: '#/$defs/item' } },
      total: { type: 'number', minimum: 0 },
      currency: { enum: ['EUR', 'USD'] },
    },
    $defs: {
      item: {
        type: 'object',
        required: ['name', 'price'],
        properties: { name: { type: 'string', minLength: 1 }, price: { type: 'number' } },
      },
    },
  },
};

const VALID = '{"items":[{"name":"Tea","price":3.5}],"total":3.5,"currency":"EUR"}';
const INVALID =
  '{"items":[{"name":"Tea","price":"3.50"},{"price":2}],"total":-1,"currency":"GBP","note":"x"}';

// What OpenAI's older models and DeepSeek answer to response_format json_schema.
const OPENAI_REFUSAL =
  "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.";
const DEEPSEEK_REFUSAL = 'This response_format type is unavailable now';

describe('structured output', () => {
  describe('the request', () => {
    it('carries response_format json_schema with the name, the schema and strict: true', () => {
      const body = buildChatRequest('gpt-4o', [{ role: 'user', content: 'q' }], {
        responseFormat: jsonSchemaFormat(INVOICE),
      });
      assert.deepEqual(body.response_format, {
        type: 'json_schema',
        json_schema: { name: 'invoice', schema: INVOICE.schema, strict: true },
      });
    });
  });

  describe('checking the answer', () => {
    it('says a fitting answer is valid', () => {
      assert.deepEqual(checkAnswer(VALID, INVOICE), { schema: 'invoice', json: true, errors: [] });
    });

    it('lists what does not fit, each at its JSON path, without the "does not match" around them', () => {
      assert.deepEqual(checkAnswer(INVALID, INVOICE).errors, [
        { path: '/items/0/price', message: 'must be number' },
        { path: '/items/1', message: 'must have required property "name"' },
        { path: '/total', message: 'must be >= 0' },
        { path: '/currency', message: 'must be one of "EUR", "USD"' },
        { path: '/note', message: 'is not allowed here' },
      ]);
    });

    it('names the root "/", a missing property once each, and escapes pointer segments', () => {
      const schema: StructuredSchema = {
        name: 's',
        schema: {
          type: 'object',
          required: ['a', 'b'],
          properties: { 'x/y z': { type: 'string' }, n: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
        },
      };
      assert.deepEqual(checkAnswer('{"x/y z": 1, "n": 2}', schema).errors, [
        { path: '/', message: 'must have required property "a"' },
        { path: '/', message: 'must have required property "b"' },
        { path: '/x~1y z', message: 'must be string' },
        { path: '/n', message: 'must match one of the choices in anyOf' },
      ]);
      assert.deepEqual(checkAnswer('[]', schema).errors, [{ path: '/', message: 'must be object' }]);
    });

    it('says an answer that is not JSON is not, with the parser’s words, and checks nothing', () => {
      let words = '';
      try {
        JSON.parse('Sure! Here is the invoice.');
      } catch (err) {
        words = (err as Error).message;
      }
      assert.deepEqual(checkAnswer('Sure! Here is the invoice.', INVOICE), {
        schema: 'invoice',
        json: false,
        parseError: words,
        errors: [],
      });
    });

    it('reads JSON a model fenced anyway', () => {
      assert.deepEqual(checkAnswer('```json\n' + VALID + '\n```', INVOICE).errors, []);
      assert.deepEqual(parseAnswerJson('  ```\n[1]\n```  '), { ok: true, value: [1] });
    });

    it('speaks the user’s language through the host’s translate', () => {
      const zh = (message: string, ...args: (string | number)[]) =>
        message === 'must be {0}' ? `必须是 ${args[0]}` : message;
      assert.deepEqual(checkAnswer('{"items":[],"total":"0"}', INVOICE, zh).errors, [
        { path: '/total', message: '必须是 number' },
      ]);
    });

    it('keeps at most 50 errors and counts the rest', () => {
      const schema: StructuredSchema = { name: 'nums', schema: { type: 'array', items: { type: 'number' } } };
      const result = checkAnswer(JSON.stringify(Array.from({ length: 60 }, () => 'x')), schema);
      assert.equal(result.errors.length, 50);
      assert.equal(result.moreErrors, 10);
      assert.deepEqual(result.errors[49], { path: '/49', message: 'must be number' });
    });

    it('pretty-prints in a fence longer than any backticks inside', () => {
      assert.equal(prettyJsonBlock({ a: [1] }), '```json\n{\n  "a": [\n    1\n  ]\n}\n```');
      assert.equal(prettyJsonBlock({ a: '````' }), '`````json\n{\n  "a": "````"\n}\n`````');
    });
  });

  describe('reading a schema', () => {
    it('takes a schema file, named after the file', () => {
      assert.deepEqual(readSchema(JSON.stringify(INVOICE.schema), 'invoice.schema.json'), {
        ok: true,
        schema: INVOICE,
      });
      assert.equal(schemaName('my order (v2).json'), 'my_order_v2');
      assert.equal(schemaName('订单.json'), 'schema');
    });

    it('takes the json_schema object the API uses, and a title, as the name', () => {
      const wrapped = JSON.stringify({ name: 'order', schema: { type: 'object' }, strict: true });
      assert.deepEqual(readSchema(wrapped, 'pasted_schema'), {
        ok: true,
        schema: { name: 'order', schema: { type: 'object' } },
      });
      const titled = JSON.stringify({ title: 'Line Item', type: 'object' });
      assert.equal(
        (readSchema(titled, 'pasted_schema') as { schema: StructuredSchema }).schema.name,
        'Line_Item',
      );
    });

    it('says what is wrong before anything is sent', () => {
      const bad = readSchema('{"type": "object",', 'x');
      assert.equal(bad.ok, false);
      assert.match(
        describeSchemaProblem(bad as never, (m, ...a) => m.replace('{0}', String(a[0]))),
        /^This is not valid JSON: ./,
      );
      assert.equal(
        describeSchemaProblem(readSchema('[1]', 'x') as never, (m) => m),
        'A JSON Schema is an object, such as {"type": "object", "properties": {…}}.',
      );
      const unresolved = readSchema('{"$ref": "#/$defs/missing"}', 'x');
      assert.equal(unresolved.ok, false);
      assert.equal((unresolved as { problem: string }).problem, 'unusable');
    });
  });

  describe('a schema kept from an earlier session', () => {
    it('comes back as it was picked', () => {
      assert.deepEqual(storedSchema(INVOICE), INVOICE);
    });

    it('is dropped, not sent, when it is no longer a usable schema', () => {
      for (const value of [
        undefined,
        null,
        'invoice',
        { name: 'invoice' },
        { name: 7, schema: INVOICE.schema },
        { name: 'invoice', schema: [] },
        { name: 'invoice', schema: { $ref: '#/$defs/missing' } },
      ]) {
        assert.equal(storedSchema(value), undefined, JSON.stringify(value));
      }
    });

    it('has its name made one the API takes again', () => {
      assert.deepEqual(storedSchema({ name: 'my invoice.json', schema: INVOICE.schema }), {
        name: 'my_invoice',
        schema: INVOICE.schema,
      });
    });
  });

  describe('an endpoint that refuses json_schema', () => {
    const request = (): ChatCompletionRequest =>
      buildChatRequest('gpt-3.5-turbo', [{ role: 'user', content: 'Invoice for tea' }], {
        responseFormat: jsonSchemaFormat(INVOICE),
      });

    it('is recognised by OpenAI’s and DeepSeek’s words, not by a complaint about the schema itself', () => {
      assert.equal(detectDowngrade(400, OPENAI_REFUSAL, request(), [], 'response_format'), 'json_schema');
      assert.equal(detectDowngrade(400, DEEPSEEK_REFUSAL, request()), 'json_schema');
      assert.equal(
        detectDowngrade(400, 'Unknown parameter: response_format.json_schema', request()),
        'json_schema',
      );
      const schemaFault =
        "Invalid schema for response_format 'invoice': In context=(), 'additionalProperties' is not permitted.";
      assert.equal(detectDowngrade(400, schemaFault, request()), undefined);
      const plain = buildChatRequest('gpt-4o', [{ role: 'user', content: 'q' }]);
      assert.equal(detectDowngrade(400, OPENAI_REFUSAL, plain), undefined);
    });

    it('asks for json_object with the schema in the system prompt, once however often it is applied', () => {
      const once = applyDowngrades(request(), ['json_schema']);
      assert.deepEqual(once.response_format, { type: 'json_object' });
      assert.deepEqual(once.messages, [
        { role: 'system', content: schemaInstruction('invoice', INVOICE.schema) },
        { role: 'user', content: 'Invoice for tea' },
      ]);
      assert.deepEqual(applyDowngrades(once, ['json_schema']), once);
      const withSystem = buildChatRequest(
        'gpt-4o',
        [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'q' },
        ],
        { responseFormat: jsonSchemaFormat(INVOICE) },
      );
      assert.deepEqual(applyDowngrades(withSystem, ['json_schema']).messages[0], {
        role: 'system',
        content: `Be brief.\n\n${schemaInstruction('invoice', INVOICE.schema)}`,
      });
    });
  });

  describe('in a chat session', () => {
    /** The session over these responses; `panel()` lists the panel's assistant messages. */
    function harness(responses: Response[], editTurn?: EditTurn) {
      const h = sessionHarness<ChatCompletionRequest>(
        responses.map((r) => () => r),
        { capabilityStore: new MemoryCapabilityStore(), editTurn, model: 'm1' },
      );
      return { ...h, panel: () => h.panel().filter((m) => m.role === 'assistant') };
    }
    const stream = (text: string) =>
      new Response(sse(text), { status: 200, headers: { 'content-type': 'text/event-stream' } });
    const refusal = () => {
      const { status, body, headers } = jsonError(400, OPENAI_REFUSAL, { param: 'response_format' });
      return new Response(String(body), { status, headers });
    };

    it('asks with the schema until it is turned off, and checks each answer', async () => {
      const { session, bodies, panel } = harness([stream(VALID), stream(INVALID), stream('{}')]);
      session.setStructured(INVOICE);
      await session.send({ display: 'q1', content: 'q1' });
      await session.send({ display: 'q2', content: 'q2' });
      session.setStructured(undefined);
      await session.send({ display: 'q3', content: 'q3' });
      assert.deepEqual(bodies[0].response_format, jsonSchemaFormat(INVOICE));
      assert.deepEqual(bodies[1].response_format, jsonSchemaFormat(INVOICE));
      assert.equal(bodies[2].response_format, undefined);
      const [first, second, third] = panel();
      assert.deepEqual(first.structured, { schema: 'invoice', json: true, errors: [] });
      assert.deepEqual(second.structured, checkAnswer(INVALID, INVOICE));
      assert.equal(second.structured?.errors[0].path, '/items/0/price');
      assert.equal(third.structured, undefined);
      assert.equal(first.text, VALID, 'the answer text stays as the model wrote it');
    });

    it('after a refusal asks again with json_object, says so on every structured answer, and still checks', async () => {
      const { session, bodies, panel } = harness([refusal(), stream(INVALID), stream(VALID)]);
      session.setStructured(INVOICE);
      await session.send({ display: 'q1', content: 'q1' });
      await session.send({ display: 'q2', content: 'q2' });
      assert.equal(bodies.length, 3);
      assert.equal(bodies[0].response_format?.type, 'json_schema');
      for (const body of bodies.slice(1)) {
        assert.deepEqual(body.response_format, { type: 'json_object' });
        assert.deepEqual(body.messages[0], {
          role: 'system',
          content: schemaInstruction('invoice', INVOICE.schema),
        });
      }
      const notice =
        'This endpoint does not take a JSON Schema (response_format json_schema); asked for JSON (json_object) with the schema in the prompt. The answer is still checked against the schema here.';
      const [first, second] = panel();
      assert.deepEqual(first.notices, [notice]);
      assert.deepEqual(second.notices, [notice]);
      assert.deepEqual(first.structured, checkAnswer(INVALID, INVOICE));
      assert.deepEqual(second.structured, { schema: 'invoice', json: true, errors: [] });
    });

    it('says it once on an answer that a Continue finishes, and checks the whole answer', async () => {
      const head = INVALID.slice(0, 20);
      // The stream stops without a finish_reason or [DONE]: a cut answer the user can continue.
      const cut = sse(head).split('\n\n').slice(0, -3).join('\n\n') + '\n\n';
      const { session, bodies, panel } = harness([
        refusal(),
        new Response(cut, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
        stream(INVALID.slice(20)),
      ]);
      session.setStructured(INVOICE);
      await session.send({ display: 'q1', content: 'q1' });
      assert.equal(panel()[0].status, 'incomplete');
      assert.equal(panel()[0].text, head);
      await session.continueAnswer();
      assert.equal(bodies.length, 3);
      assert.deepEqual(bodies[2].response_format, { type: 'json_object' });
      const [answer] = panel();
      assert.equal(answer.text, INVALID);
      assert.equal(answer.notices?.length, 1);
      assert.deepEqual(answer.structured, checkAnswer(INVALID, INVOICE));
    });

    it('leaves the schema out of an edit-mode turn, and says so', async () => {
      const turn: EditTurn = {
        plan: { system: 'RULES', blocks: false, maxRounds: 1 },
        fallback: () => turn.plan,
        onArguments: () => undefined,
        run: async () => ({ status: 'done', result: '' }),
        endRound: async () => undefined,
      };
      const { session, bodies, panel } = harness([stream('Nothing to change.')], turn);
      session.setStructured(INVOICE);
      await session.send({ display: 'q', content: 'q' });
      assert.equal(bodies[0].response_format, undefined);
      const [answer] = panel();
      assert.deepEqual(answer.notices, [
        'Structured output is for Ask mode: this edit was asked without the schema.',
      ]);
      assert.equal(answer.structured, undefined);
    });
  });

  it('has its panel messages in the protocol', () => {
    assert.ok(isWebviewToHost({ type: 'pickSchema' }));
    assert.ok(isWebviewToHost({ type: 'clearSchema' }));
    assert.ok(isHostToWebview({ type: 'structured', name: 'invoice' }));
    assert.ok(isHostToWebview({ type: 'structured' }));
  });
});
