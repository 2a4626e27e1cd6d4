/**
 * The answer of a structured request as JSON. Models in JSON mode sometimes wrap it in a ```json
 * fence anyway; that fence is not part of the answer. Shared by the host (validation) and the panel
 * (pretty printing), so both read the same value out of the same text.
 */
export type AnswerJson = { ok: true; value: unknown } | { ok: false; error: string };

const FENCED = /^```[ \t]*(?:json)?[ \t]*\r?\n([\s\S]*?)\r?\n?```$/i;

export function parseAnswerJson(text: string): AnswerJson {
  const trimmed = text.trim();
  const body = FENCED.exec(trimmed)?.[1] ?? trimmed;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Two-space JSON in a markdown fence longer than any run of backticks inside it. */
export function prettyJsonBlock(value: unknown): string {
  const pretty = JSON.stringify(value, null, 2) ?? String(value);
  const longest = Math.max(0, ...(pretty.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}json\n${pretty}\n${fence}`;
}
