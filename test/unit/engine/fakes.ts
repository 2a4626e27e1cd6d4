import type { Clock } from '../../../src/common/endpoint/retryPolicy';

interface Timer {
  id: number;
  due: number;
  fn: () => void;
}

/**
 * Virtual time. `auto` fires every timer on the next macrotask, jumping the clock to its due time,
 * so backoff waits cost no real time; without it, timers fire only on `advance`.
 */
export class FakeClock implements Clock {
  time = 0;
  readonly delays: number[] = [];
  private timers: Timer[] = [];
  private nextId = 1;

  /** `auto` may pick the timers it fires, e.g. backoff waits but not the timeouts of a real socket. */
  constructor(private readonly auto: boolean | ((ms: number) => boolean) = true) {}

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, due: this.time + ms, fn };
    this.timers.push(timer);
    this.delays.push(ms);
    if (this.auto === true || (this.auto && this.auto(ms))) setImmediate(() => this.fire(timer));
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (const timer of [...this.timers].sort((a, b) => a.due - b.due)) {
      if (timer.due <= until) this.fire(timer);
    }
    this.time = until;
  }

  private fire(timer: Timer): void {
    if (!this.timers.includes(timer)) return;
    this.timers = this.timers.filter((t) => t !== timer);
    this.time = Math.max(this.time, timer.due);
    timer.fn();
  }
}

export type Reply =
  | {
      status?: number;
      headers?: Record<string, string>;
      body?: string | Uint8Array | ReadableStream<Uint8Array>;
    }
  | Error;

export interface ScriptedFetch {
  fetch: typeof fetch;
  calls: { url: string; body: Record<string, unknown>; headers: Record<string, string> }[];
}

/** A fetch that answers from a script, in order, and records what it was sent. */
export function scriptedFetch(...replies: Reply[]): ScriptedFetch {
  const calls: ScriptedFetch['calls'] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({
      url: String(input),
      body: init?.body ? JSON.parse(String(init.body)) : {},
      headers: (init?.headers ?? {}) as Record<string, string>,
    });
    const reply = replies.shift();
    if (!reply) throw new Error('scriptedFetch: no reply left');
    if (reply instanceof Error) throw reply;
    const status = reply.status ?? 200;
    const headers = reply.headers ?? (status === 200 ? { 'content-type': 'text/event-stream' } : {});
    return new Response(reply.body as BodyInit, { status, headers });
  };
  return { fetch: fetchImpl as typeof fetch, calls };
}

/** A body that sends `first`, then nothing until cancelled. */
export function stallingBody(first: string): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
    },
  });
}
