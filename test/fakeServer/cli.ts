/**
 * Runs the fake server as its own process (for `npm start` without a real endpoint, or by hand):
 *   npx tsx test/fakeServer/cli.ts
 * Prints `FAKE_SERVER_URL=<base url>` on stdout, then answers every chat with a demo stream.
 */
import { sse, startFakeServer } from './fakeServer';

const DEMO = [
  'This answer comes from the **Relay Chat demo server** on 127.0.0.1, not a real model.\n\n',
  'Set `relayChat.baseUrl` and `relayChat.model` (and run *Relay Chat: Set API Key*) to talk to your endpoint.\n\n',
  '```ts\nconst greeting: string = "你好, Relay Chat";\nconsole.log(greeting);\n```\n',
].join('');

void (async () => {
  const server = await startFakeServer();
  server.setFallback({
    body: sse(DEMO, { pieceSize: 4, reasoning: 'The user wants a demo. ' }),
    delayMs: 15,
    chunkSize: 256,
  });
  console.log(`FAKE_SERVER_URL=${server.baseUrl}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
})();
