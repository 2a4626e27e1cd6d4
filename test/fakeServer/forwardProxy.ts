/**
 * A plain HTTP forward proxy on 127.0.0.1 for tests: whatever host a request names, it is sent
 * to `target` (the fake endpoint). Records the absolute URLs it was asked for, so a test can tell
 * that traffic really went through the proxy.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForwardProxy {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

export async function startForwardProxy(target: { port: number }): Promise<ForwardProxy> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const path = req.url?.startsWith('http')
      ? new URL(req.url).pathname + new URL(req.url).search
      : (req.url ?? '/');
    const upstream = request(
      { host: '127.0.0.1', port: target.port, method: req.method, path, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
