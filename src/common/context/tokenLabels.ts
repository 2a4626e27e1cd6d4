/** "950", "5.1k", "128k", "1.0M": how the meter and the notices write a token count. */
export function compactTokens(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** A window as people name it: 8192 is "8k", 131072 "128k", 128000 "128k". */
export function windowLabel(tokens: number): string {
  if (tokens % 1000 !== 0 && tokens >= 1024 && tokens % 1024 === 0 && tokens < 1_048_576 * 2) {
    return tokens >= 1_048_576 && tokens % 1_048_576 === 0 ? `${tokens / 1_048_576}M` : `${tokens / 1024}k`;
  }
  return compactTokens(tokens);
}
