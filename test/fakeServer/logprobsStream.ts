/** SSE streams whose chunks carry `choices[].logprobs.content`, as OpenAI sends them. */

export interface ScriptedToken {
  token: string;
  logprob: number;
  /** The alternatives at this position; the token itself is listed first when absent. */
  top?: { token: string; logprob: number }[];
}

/** One chunk per token: its text as `delta.content`, its logprobs beside it, then `stop`. */
export function logprobsSse(tokens: ScriptedToken[], options: { model?: string } = {}): string {
  const { model = 'fake-model' } = options;
  const base = { id: 'chatcmpl-logprobs', object: 'chat.completion.chunk', created: 1700000000, model };
  const bytes = (text: string) => [...Buffer.from(text, 'utf8')];
  const lines = tokens.map((t) => {
    const top = (t.top ?? [{ token: t.token, logprob: t.logprob }]).map((a) => ({
      ...a,
      bytes: bytes(a.token),
    }));
    const logprobs = {
      content: [{ token: t.token, logprob: t.logprob, bytes: bytes(t.token), top_logprobs: top }],
    };
    const choice = { index: 0, delta: { content: t.token }, logprobs, finish_reason: null };
    return `data: ${JSON.stringify({ ...base, choices: [choice] })}\n\n`;
  });
  lines.push(
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] })}\n\n`,
    'data: [DONE]\n\n',
  );
  return lines.join('');
}
