import type { Clock } from '../endpoint/retryPolicy';
import type { HostToWebview, MessageOp, ViewMessage } from '../panel/protocol';
import { applyOps, batchChars, channelText, pushOp } from '../panel/messageReducer';

/**
 * Deltas are held this long and merged, so a fast stream costs one postMessage per window rather
 * than one per token (each post carries ~80 bytes of envelope). Shorter than a frame at 30 fps.
 */
export const DELTA_WINDOW_MS = 32;
/**
 * The window grows with the answer to this: every post costs the workbench an IPC hop and the
 * panel a render and a paint (about 20-25 ms of the renderer's main thread per post in code-server,
 * almost all of it the workbench's own message hops, frame, layerize and paint, not the panel's
 * script), so a fast stream's cost is its number of posts. The first screenful updates at 30 fps;
 * past it the reader reads above the end, and four updates a second still read as streaming.
 * A 60k answer at 1,000 chunks/s (`npm run bench workbench`): with the window reaching 200 ms at
 * 32,000 characters, about 170 posts and the renderer 20-24% busy; 250 ms from 12,000, about 105
 * posts and 15-19% busy.
 */
export const DELTA_WINDOW_MAX_MS = 250;
const WINDOW_GROWS_FROM_CHARS = 2_000;
const WINDOW_FULL_AT_CHARS = 12_000;

/** How long updates to a message this long are held: 32 ms for the first 2,000 characters, 250 ms past 12,000. */
export function deltaWindowFor(length: number): number {
  const share = (length - WINDOW_GROWS_FROM_CHARS) / (WINDOW_FULL_AT_CHARS - WINDOW_GROWS_FROM_CHARS);
  const clamped = Math.min(1, Math.max(0, share));
  return Math.round(DELTA_WINDOW_MS + clamped * (DELTA_WINDOW_MAX_MS - DELTA_WINDOW_MS));
}

/** A batch this large goes out at once, whatever the window. */
export const DELTA_MAX_CHARS = 2048;

/**
 * The updates to the panel held back and merged per message. The host's copy of a message changes
 * at once; the panel hears of it when the window closes, or before anything else about the
 * conversation goes out (the session flushes first), so the panel folds in the order things happened.
 */
export class DeltaWindow {
  /** Updates held per message, in the order the messages first changed. */
  private pending = new Map<string, MessageOp[]>();
  private timer: unknown;

  /** `afterFlush`: held updates just went out (the session saves a long answer then). */
  constructor(
    private readonly clock: Clock,
    private readonly post: (message: HostToWebview) => void,
    private readonly afterFlush: () => void,
  ) {}

  /**
   * Applies an update to the host's copy of the message with the reducer the panel uses, and holds
   * it for the panel: updates within the window (`deltaWindowFor`) go out as one post.
   */
  update(view: ViewMessage, op: MessageOp): void {
    applyOps(view, [op]);
    // Answers streaming side by side (a compare turn) are held side by side, each its own batch.
    let ops = this.pending.get(view.id);
    if (!ops) this.pending.set(view.id, (ops = []));
    pushOp(ops, op);
    if (batchChars(ops) >= DELTA_MAX_CHARS) this.flush();
    else
      this.timer ??= this.clock.setTimeout(
        () => this.flush(),
        deltaWindowFor(channelText(view, 'content').length),
      );
  }

  /** Posts what is held. */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const held = this.pending;
    if (!held.size) return;
    this.pending = new Map();
    for (const [messageId, ops] of held) if (ops.length) this.post({ type: 'update', messageId, ops });
    this.afterFlush();
  }
}
