import type { SkipReason } from './types';

/** What the engine did, counted since it started (for the log, the bench and the e2e checks). */
export interface EngineStats {
  /** Calls of `onRequest`: one per keystroke the editor asked about. */
  keystrokes: number;
  /** Requests sent to the endpoint. */
  requests: number;
  /** Answered from the prefix cache. */
  cacheHits: number;
  /** Answered by a suggestion, or a stream still arriving, that the typing followed. */
  typedAheadHits: number;
  /** Requests stopped before their end: the typing left them behind, or nobody waited any more. */
  aborted: number;
  /** Requests that failed (the error goes to the log). */
  failed: number;
  /** Calls that ended with text to show. */
  offered: number;
  skipped: Record<SkipReason, number>;
}

export function emptyStats(): EngineStats {
  return {
    keystrokes: 0,
    requests: 0,
    cacheHits: 0,
    typedAheadHits: 0,
    aborted: 0,
    failed: 0,
    offered: 0,
    skipped: {
      multipleCursors: 0,
      textRightOfCursor: 0,
      fileTooLarge: 0,
      excluded: 0,
      minified: 0,
      dailyBudget: 0,
    },
  };
}
