/**
 * A producer that pushes batches, as an async generator of their items for a consumer that pulls.
 *
 * `produce` is started on the first `next()` and hands over each batch with `give`, which settles
 * only once the consumer has taken every item of it: the producer never runs ahead of the consumer
 * (a slow consumer holds the next network read back, as a suspended generator did), and may reuse
 * the batch's array afterwards. `give` answers `false` when the consumer left early (break, return,
 * a throw in its loop): the producer should stop then. The generator ends only after the producer
 * has settled, so its clean-up (closing the connection) has run; the producer's error is thrown
 * after every item it gave.
 */
export async function* pulledBatches<T>(
  produce: (give: (batch: readonly T[]) => Promise<boolean>) => Promise<void>,
): AsyncGenerator<T> {
  let batch: readonly T[] | undefined;
  let taken: ((more: boolean) => void) | undefined;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const ready = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const give = (items: readonly T[]) =>
    new Promise<boolean>((resolve) => {
      batch = items;
      taken = resolve;
      ready();
    });
  const settled = produce(give).then(
    () => {
      ended = true;
      ready();
    },
    (error: unknown) => {
      failure = { error };
      ended = true;
      ready();
    },
  );
  try {
    for (;;) {
      if (!batch && !ended) await new Promise<void>((resolve) => (wake = resolve));
      if (batch) {
        const items = batch;
        batch = undefined;
        for (const item of items) yield item;
        const more = taken!;
        taken = undefined;
        more(true);
        continue;
      }
      if (failure) throw failure.error;
      return;
    }
  } finally {
    taken?.(false);
    await settled;
  }
}
