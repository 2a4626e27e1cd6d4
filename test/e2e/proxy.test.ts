/** VS Code's own proxy setting (`http.proxy`) carries the extension's requests. */
import assert from 'node:assert/strict';
import { sse } from '../fakeServer/fakeServer';
import { startForwardProxy, type ForwardProxy } from '../fakeServer/forwardProxy';
import { useWorkbench } from './fixture';

describe('Behind a proxy in a real VS Code', function () {
  this.timeout(120_000);
  let proxy: ForwardProxy | undefined;
  const wb = useWorkbench(async (server) => {
    proxy = await startForwardProxy(server);
    return {
      // A host that does not resolve: only the proxy can reach "it".
      'relayChat.baseUrl': 'http://relay.invalid/v1',
      'http.proxy': proxy.url,
      'http.proxySupport': 'override',
    };
  });

  after(async () => {
    await proxy?.close();
  });

  it('sends chat requests through http.proxy', async () => {
    wb.server.enqueue({ body: sse('Hello through the proxy.') });
    await wb.ask('Are you there?');
    await wb
      .panel()
      .locator('[data-role="assistant"]:not([data-streaming])', { hasText: 'Hello through the proxy.' })
      .waitFor({ timeout: 30_000 });
    assert.ok(
      proxy!.hits.some((h) => h === 'http://relay.invalid/v1/chat/completions'),
      `proxy saw: ${proxy!.hits.join(', ')}`,
    );
  });
});
