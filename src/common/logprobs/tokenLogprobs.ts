/**
 * Token probabilities of an answer (issue 10): what the panel asks for when its Token
 * probabilities toggle is on, and the compact form the host keeps with the message and the panel
 * shades tokens by. Wire data is checked here; the engine passes `choices[].logprobs.content` as
 * the relay sent it.
 */

/** How many alternatives per token the panel asks for (`top_logprobs`). */
export const TOP_LOGPROBS = 5;

/** One alternative the model weighed at a token's position. */
export interface TokenAlternative {
  token: string;
  logprob: number;
}

/** One answer token and how likely the model found it. */
export interface TokenProbability {
  token: string;
  logprob: number;
  /** The most likely tokens at this position, as the relay ranked them (at most TOP_LOGPROBS). */
  top?: TokenAlternative[];
}

/**
 * `tokens` go at position `at` of the message's token list; like text, an update the other side
 * already has is skipped and one that would leave a hole is refused.
 */
export interface LogprobsOp {
  op: 'logprobs';
  at: number;
  tokens: TokenProbability[];
}

/**
 * Four decimals of a log probability are more than the panel shows (a tenth of a percent) and keep
 * a stored conversation about a third smaller; -9999 (OpenAI's "never") stays as it is.
 */
const round = (logprob: number) => Math.round(logprob * 1e4) / 1e4;

function alternative(raw: unknown): TokenAlternative | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const { token, logprob } = raw as { token?: unknown; logprob?: unknown };
  if (typeof token !== 'string' || typeof logprob !== 'number' || !Number.isFinite(logprob)) return undefined;
  return { token, logprob: round(Math.min(0, logprob)) };
}

/** The well-formed entries of a relay's `logprobs.content`, without `bytes`; others are dropped. */
export function tokenProbabilities(content: readonly unknown[] | undefined): TokenProbability[] {
  const out: TokenProbability[] = [];
  for (const raw of content ?? []) {
    const token = alternative(raw);
    if (!token) continue;
    const rawTop = (raw as { top_logprobs?: unknown }).top_logprobs;
    const top = Array.isArray(rawTop)
      ? rawTop
          .map(alternative)
          .filter((a): a is TokenAlternative => !!a)
          .slice(0, TOP_LOGPROBS)
      : [];
    out.push(top.length ? { ...token, top } : token);
  }
  return out;
}

/** The op that appends `tokens` to what the host has of the message. */
export function logprobsOp(
  have: readonly TokenProbability[] | undefined,
  tokens: TokenProbability[],
): LogprobsOp {
  return { op: 'logprobs', at: have?.length ?? 0, tokens };
}

/**
 * Folds a logprobs op into a message's token list (the reducer's case for it): `gap` when tokens
 * before `at` are missing, `none` when the list already holds them all.
 */
export function applyLogprobs(
  message: { logprobs?: TokenProbability[] },
  op: LogprobsOp,
): 'applied' | 'none' | 'gap' {
  const have = message.logprobs?.length ?? 0;
  if (op.at > have) return 'gap';
  const fresh = op.tokens.slice(have - op.at);
  if (!fresh.length) return 'none';
  message.logprobs = [...(message.logprobs ?? []), ...fresh.map(copyToken)];
  return 'applied';
}

/** Consecutive logprobs ops of one batch become one, as text ops do. */
export function mergeLogprobs(last: LogprobsOp, next: LogprobsOp): LogprobsOp | undefined {
  if (last.at + last.tokens.length !== next.at) return undefined;
  return { op: 'logprobs', at: last.at, tokens: [...last.tokens, ...next.tokens] };
}

const copyToken = (t: TokenProbability): TokenProbability =>
  t.top ? { token: t.token, logprob: t.logprob, top: t.top.map((a) => ({ ...a })) } : { ...t };

/** The probability a log probability stands for, 0 to 1. */
export const probability = (logprob: number) => Math.exp(Math.min(0, logprob));

/** "87.3%", "<0.1%", "100%": what the panel shows for a probability. */
export function percentText(logprob: number): string {
  const p = probability(logprob) * 100;
  if (p >= 99.95) return '100%';
  if (p < 0.05) return '<0.1%';
  return `${p.toFixed(1)}%`;
}
