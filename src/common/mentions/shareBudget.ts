/**
 * Each mention's share of the tokens the mentions may use together: equal shares, where a mention
 * that needs less than its share hands the rest on to the others (smallest needs served first). So a
 * small file is never cut because a large folder was mentioned beside it, and the large one gets
 * everything the small ones left.
 */
export function shareBudget(needs: readonly number[], budget: number): number[] {
  const order = needs.map((_, i) => i).sort((a, b) => needs[a] - needs[b] || a - b);
  const shares = new Array<number>(needs.length).fill(0);
  let left = Math.max(0, budget);
  let waiting = needs.length;
  for (const i of order) {
    const share = Math.min(needs[i], Math.floor(left / waiting));
    shares[i] = share;
    left -= share;
    waiting--;
  }
  return shares;
}
