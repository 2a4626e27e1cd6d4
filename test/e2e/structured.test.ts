/**
 * Structured output in a real VS Code, driven as a person would: the panel's menu, a schema file
 * picked from the workspace (or pasted), the request the fake endpoint receives, the verdict the
 * panel shows, and an endpoint that refuses json_schema.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonError, sse } from '../fakeServer/fakeServer';
import { useWorkbench } from './fixture';
import { ensurePanel, pickQuickItem, reloadWindow, textOf } from './workbench';

const SCHEMA = {
  type: 'object',
  required: ['items', 'total'],
  additionalProperties: false,
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'price'],
        additionalProperties: false,
        properties: { name: { type: 'string' }, price: { type: 'number' } },
      },
    },
    total: { type: 'number' },
  },
};
const VALID = '{"items":[{"name":"Tea","price":3.5}],"total":3.5}';
const PRETTY_VALID = `{
  "items": [
    {
      "name": "Tea",
      "price": 3.5
    }
  ],
  "total": 3.5
}`;
const INVALID = '{"items":[{"name":"Tea","price":"3.50"}],"total":3.5}';

describe('Structured output in a real VS Code', function () {
  this.timeout(120_000);
  const wb = useWorkbench();
  const page = () => wb.page;
  const chip = () => wb.panel().locator('[data-testid="schema-chip"]');
  const lastAnswer = () => wb.panel().locator('[data-role="assistant"]:not([data-streaming])').last();
  const lastResult = () => lastAnswer().locator('[data-testid="schema-result"]');

  before(() => {
    // A schema file in the workspace the Quick Pick offers.
    mkdirSync(join(wb.vscode.workspace, 'schemas'), { recursive: true });
    writeFileSync(join(wb.vscode.workspace, 'schemas', 'invoice.json'), JSON.stringify(SCHEMA, null, 2));
  });

  /** Structured output is off (no chip) before a test picks a schema, and after it. */
  async function removeSchema(): Promise<void> {
    await wb.panel().locator('[data-testid="schema-remove"]').click();
    await chip().waitFor({ state: 'hidden', timeout: 10_000 });
  }

  async function chipShows(label: string): Promise<void> {
    await chip().locator('.chip-label', { hasText: label }).waitFor({ timeout: 20_000 });
    assert.equal(await textOf(chip().locator('.chip-label')), label);
  }

  /** The panel's menu → Structured output… → the Quick Pick of the host. */
  async function openSchemaPicker(): Promise<void> {
    await wb.panel().locator('[data-testid="params"]').click();
    await wb.panel().locator('[data-testid="structured-output"]').click();
    await page()
      .locator('.quick-input-widget', { hasText: 'Structured output: pick a JSON Schema' })
      .waitFor({ timeout: 20_000 });
  }

  async function pickSchemaFile(): Promise<void> {
    await openSchemaPicker();
    await pickQuickItem(page(), 'schemas/invoice.json', 20_000);
    await chipShows('Schema: invoice');
  }

  it('sends the schema of a workspace file and shows each answer pretty-printed with its verdict', async () => {
    await wb.newChat();
    assert.equal(await chip().isVisible(), false);
    await pickSchemaFile();

    wb.server.enqueue({ body: sse(VALID) }, { body: sse(INVALID) });
    await wb.ask('Invoice for one tea');
    await lastResult().waitFor({ timeout: 30_000 });
    assert.deepEqual(wb.lastBody().response_format, {
      type: 'json_schema',
      json_schema: { name: 'invoice', schema: SCHEMA, strict: true },
    });
    assert.equal(await textOf(lastResult()), 'Valid against invoice');
    assert.equal(await textOf(lastAnswer().locator('.structured-answer pre code')), `${PRETTY_VALID}\n`);

    await wb.ask('The same, price as text');
    await wb
      .panel()
      .locator('[data-testid="schema-result"][data-valid="false"]')
      .waitFor({ timeout: 30_000 });
    assert.equal(wb.chatRequests().length, 2);
    assert.deepEqual(wb.lastBody().response_format, {
      type: 'json_schema',
      json_schema: { name: 'invoice', schema: SCHEMA, strict: true },
    });
    assert.equal(await textOf(lastResult().locator('.schema-result-title')), 'Not valid against invoice:');
    assert.deepEqual(await lastResult().locator('li').allTextContents(), ['/items/0/price: must be number']);
    await removeSchema();
  });

  it('keeps the schema with the workspace across Reload Window, and its removal too', async () => {
    await wb.newChat();
    await pickSchemaFile();
    await reloadWindow(page());
    await ensurePanel(page());
    await chipShows('Schema: invoice');
    wb.server.enqueue({ body: sse(VALID) }, { body: sse('Plain again.') });
    await wb.ask('Invoice after the reload');
    await lastResult().waitFor({ timeout: 30_000 });
    assert.deepEqual(wb.lastBody().response_format, {
      type: 'json_schema',
      json_schema: { name: 'invoice', schema: SCHEMA, strict: true },
    });
    assert.equal(await textOf(lastResult()), 'Valid against invoice');

    await removeSchema();
    await reloadWindow(page());
    await ensurePanel(page());
    await wb.ask('After removing it and reloading');
    await wb.waitForRequests(2);
    await lastAnswer().filter({ hasText: 'Plain again.' }).waitFor({ timeout: 30_000 });
    assert.equal(wb.lastBody().response_format, undefined);
    assert.equal(await chip().isVisible(), false);
    assert.equal(await lastAnswer().locator('[data-testid="schema-result"]').count(), 0);
  });

  it('takes a pasted schema, says what is wrong with one before sending, and stops when the chip is removed', async () => {
    await wb.newChat();
    assert.equal(await chip().isVisible(), false);
    await openSchemaPicker();
    await pickQuickItem(page(), 'Paste a JSON Schema…', 20_000);
    const box = page().locator('.quick-input-widget', { hasText: 'Structured output: paste a JSON Schema' });
    await box.waitFor({ timeout: 20_000 });
    await box.locator('input').first().focus();
    await page().keyboard.type('[1, 2]');
    const message = box.locator('.quick-input-message');
    await message.filter({ hasText: 'A JSON Schema is an object' }).waitFor({ timeout: 10_000 });
    assert.equal(
      await textOf(message),
      'A JSON Schema is an object, such as {"type": "object", "properties": {…}}.',
    );
    await page().keyboard.press('Enter');
    assert.ok(await box.isVisible(), 'an invalid schema is not taken');
    await page().keyboard.press('Control+A');
    const pasted = {
      title: 'Colour',
      type: 'object',
      required: ['hex'],
      properties: { hex: { type: 'string' } },
    };
    await page().keyboard.type(JSON.stringify(pasted));
    await page().keyboard.press('Enter');
    await chipShows('Schema: Colour');

    wb.server.enqueue({ body: sse('Teal, I think.') }, { body: sse('Teal.') });
    await wb.ask('A colour, please');
    await lastResult().waitFor({ timeout: 30_000 });
    assert.deepEqual(wb.lastBody().response_format, {
      type: 'json_schema',
      json_schema: { name: 'Colour', schema: pasted, strict: true },
    });
    assert.match(await textOf(lastResult()), /^Not JSON, so not checked against Colour: ./);
    assert.equal(await textOf(lastAnswer().locator('.structured-answer p')), 'Teal, I think.');

    await removeSchema();
    await wb.ask('Again, plainly');
    await wb.panel().locator('[data-role="assistant"]:not([data-streaming])', { hasText: 'Teal.' }).waitFor();
    await wb.waitForRequests(2);
    assert.equal(wb.lastBody().response_format, undefined);
    assert.equal(await lastAnswer().locator('[data-testid="schema-result"]').count(), 0);
  });

  it('asks an endpoint that refuses json_schema for json_object, says so, and still checks the answer', async () => {
    await wb.newChat();
    assert.equal(await chip().isVisible(), false);
    await pickSchemaFile();
    wb.server.enqueue(
      jsonError(
        400,
        "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
        { param: 'response_format' },
      ),
      { body: sse(INVALID) },
    );
    await wb.ask('Invoice for one tea');
    await wb.waitForRequests(2);
    const [refused, retried] = wb.chatRequests().map((r) => r.body as Record<string, unknown>);
    assert.equal((refused.response_format as { type: string }).type, 'json_schema');
    assert.deepEqual(retried.response_format, { type: 'json_object' });
    const system = (retried.messages as { role: string; content: string }[])[0];
    assert.equal(system.role, 'system');
    assert.equal(
      system.content,
      `Answer with one JSON value, and nothing else, that follows this JSON Schema ("invoice"):\n${JSON.stringify(SCHEMA)}`,
    );
    await lastResult().waitFor({ timeout: 30_000 });
    assert.deepEqual(await lastAnswer().locator('.notice').allTextContents(), [
      'This endpoint does not take a JSON Schema (response_format json_schema); asked for JSON (json_object) with the schema in the prompt. The answer is still checked against the schema here.',
    ]);
    assert.deepEqual(await lastResult().locator('li').allTextContents(), ['/items/0/price: must be number']);
    await removeSchema();
  });
});
