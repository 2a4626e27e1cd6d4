import type { PathIndex, PathMatch } from './pathIndex';

/**
 * The picker's queries, one per keystroke, where only the latest matters: starting one aborts the
 * one before (through its AbortSignal, which the index checks between chunks), so a fast typist's
 * stale scans stop within a chunk instead of queueing up.
 */
export class LatestQuery {
  private current: AbortController | undefined;

  constructor(
    private readonly index: PathIndex,
    private readonly pause?: () => Promise<void>,
  ) {}

  /** The matches, or undefined when a later `run` (or `cancel`) superseded this one. */
  run(text: string, limit?: number): Promise<PathMatch[] | undefined> {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    return this.index.query(text, { limit, signal: controller.signal, pause: this.pause });
  }

  /** The picker closed. */
  cancel(): void {
    this.current?.abort();
    this.current = undefined;
  }
}
