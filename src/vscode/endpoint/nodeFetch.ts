import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';

/**
 * fetch() over node:http/https. VS Code routes an extension's node:http(s) requests through its
 * proxy support (`http.proxy`, `http.proxySupport`, system certificates, `http.noProxy`); Node's
 * built-in fetch does not reliably get the same treatment, and users behind a corporate proxy or
 * a local one for their relay would see "could not connect" instead of an answer.
 * Only what the client uses: method, headers, string body, signal; streamed, decompressed bodies.
 */
export function createNodeFetch(): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const signal = init.signal ?? undefined;
      const aborted = () =>
        signal?.reason instanceof Error
          ? signal.reason
          : new DOMException('The operation was aborted.', 'AbortError');
      if (signal?.aborted) return reject(aborted());

      const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
      if (!transport) return reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));

      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, key) => (headers[key] = value));
      headers['accept-encoding'] ??= 'gzip, deflate, br';
      const body = typeof init.body === 'string' ? init.body : undefined;
      if (init.body !== undefined && init.body !== null && body === undefined) {
        return reject(new TypeError('fetch failed: only string bodies are supported'));
      }

      const request = transport.request(url, { method: init.method ?? 'GET', headers }, (res) => {
        const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
        const decoded: Readable =
          encoding === 'gzip' || encoding === 'x-gzip'
            ? res.pipe(zlib.createGunzip())
            : encoding === 'deflate'
              ? res.pipe(zlib.createInflate())
              : encoding === 'br'
                ? res.pipe(zlib.createBrotliDecompress())
                : res;
        if (decoded !== res) res.on('error', (err) => decoded.destroy(err));
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          // The body handed on is decoded: its length and encoding no longer match these.
          if (decoded !== res && (name === 'content-encoding' || name === 'content-length')) continue;
          for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
        }
        const status = res.statusCode ?? 502;
        const noBody = status === 204 || status === 304 || init.method === 'HEAD';
        if (noBody) res.resume();
        resolve(
          new Response(noBody ? null : (Readable.toWeb(decoded) as ReadableStream<Uint8Array>), {
            status,
            statusText: res.statusMessage,
            headers: responseHeaders,
          }),
        );
        signal?.addEventListener('abort', () => decoded.destroy(aborted()), { once: true });
      });

      // Same shape as Node's fetch: a TypeError whose cause carries the system error code.
      request.on('error', (err) =>
        reject(signal?.aborted ? aborted() : new TypeError('fetch failed', { cause: err })),
      );
      signal?.addEventListener('abort', () => request.destroy(aborted()), { once: true });
      request.end(body);
    });
}
