/** The markdown answers the benchmarks stream: the same text in the bare page and in the workbench. */

/** Characters per streamed chunk: about one token. */
export const CHUNK = 4;

function section(i: number): string {
  const lang = ['ts', 'python', 'json', 'bash'][i % 4];
  const code =
    lang === 'json'
      ? `{\n  "name": "item-${i}",\n  "values": [1, 2, 3],\n  "nested": { "ok": true, "ratio": 0.${i} }\n}`
      : lang === 'python'
        ? `def handler_${i}(event, context):\n    items = [x * ${i} for x in event["items"]]\n\n    if not items:\n        return None\n    return {"total": sum(items), "count": len(items)}`
        : lang === 'bash'
          ? `set -euo pipefail\nfor f in src/*.ts; do\n  echo "checking $f"\n  npx tsc --noEmit "$f" || exit ${i % 7}\ndone`
          : `export async function load${i}(url: string): Promise<Item[]> {\n  const response = await fetch(url, { headers: { accept: 'application/json' } });\n\n  if (!response.ok) throw new Error(\`\${response.status} from \${url}\`);\n  return (await response.json()) as Item[];\n}`;
  return [
    `## Step ${i}: handle the ${lang} part`,
    '',
    `The function \`load${i}\` reads **items** from the endpoint and returns them; see https://example.com/docs/${i} for the format. It keeps _errors_ visible to the caller instead of swallowing them.`,
    '',
    `1. Validate the input for step ${i}.`,
    '2. Call the service and check `response.ok`.',
    '3. Return the parsed body.',
    '',
    '```' + lang,
    code,
    '```',
    '',
    i % 3 === 0
      ? `| key | value |\n|:--|--:|\n| step | ${i} |\n| lang | ${lang} |\n`
      : `> Note ${i}: retry on 429.\n`,
  ].join('\n');
}

/** A markdown answer of at least `minLength` characters: headings, prose, lists, code, tables. */
export function answer(minLength: number): string {
  let text = 'Here is a walk-through.\n\n';
  for (let i = 1; text.length < minLength; i++) text += section(i) + '\n';
  return text;
}

export function chunks(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK) out.push(text.slice(i, i + CHUNK));
  return out;
}
