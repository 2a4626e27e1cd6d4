/**
 * Reads a tool call's `arguments` (a JSON object) while it streams, one fragment at a time. Every
 * character is looked at once: nothing re-parses the text that came before, so a 40 kB argument
 * in 8-character fragments costs what it costs to read it once (see `npm run bench edits`).
 *
 * Only the top level is decoded: string values grow as they arrive (`onString`), so the editor can
 * show `new_text` while it is still being written; scalars (numbers, booleans) are kept when whole;
 * nested objects and arrays are skipped. The final word on the arguments is `JSON.parse` of the
 * complete text (parseToolArguments), run once.
 */

export type ArgumentValue = string | number | boolean | null;

export interface PartialArgumentsListener {
  /** More of a top-level string value, decoded (escapes resolved, never half a surrogate pair). */
  onString?(key: string, text: string): void;
  /** A top-level value is whole. */
  onValue?(key: string, value: ArgumentValue | undefined): void;
}

const enum State {
  Start,
  ExpectKey,
  Key,
  Colon,
  Value,
  String,
  Scalar,
  Nested,
  AfterValue,
  Done,
  Error,
}

const WS = /\s/;

/** Characters that end a string run: the quote, and the backslash that starts an escape. */
function runEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) return i;
  }
  return text.length;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

export class PartialArguments {
  private state = State.Start;
  private key = '';
  /** Collected pieces of the key, or of a scalar's raw text. */
  private token = '';
  /** Inside a string: after a backslash; `u` collects hex digits in `hex`. */
  private escape: '' | '\\' | 'u' = '';
  private hex = '';
  /** A high surrogate waiting for its pair, so no chunk ever ends with half a character. */
  private heldSurrogate = '';
  /** Depth and string state while skipping a nested value. */
  private depth = 0;
  private nestedInString = false;
  private nestedEscape = false;
  private readonly strings = new Map<string, string[]>();
  private readonly scalars = new Map<string, ArgumentValue>();
  /** Keys whose value has been read to its end. */
  private readonly done = new Set<string>();
  private why = '';

  constructor(private readonly listener: PartialArgumentsListener = {}) {}

  /** True once the closing brace of the object has been read. */
  get complete(): boolean {
    return this.state === State.Done;
  }

  /** Why the text stopped being JSON, if it did. */
  get error(): string | undefined {
    return this.state === State.Error ? this.why : undefined;
  }

  /** The key whose string value is being read right now. */
  get openKey(): string | undefined {
    return this.state === State.String ? this.key : undefined;
  }

  /** A top-level string value as far as it has arrived (whole once its key is no longer open). */
  string(key: string): string | undefined {
    const parts = this.strings.get(key);
    if (!parts) return undefined;
    if (parts.length > 1) parts.splice(0, parts.length, parts.join(''));
    return parts[0] ?? '';
  }

  scalar(key: string): ArgumentValue | undefined {
    return this.scalars.get(key);
  }

  /** Whether the value of `key` has been read to its end. */
  has(key: string): boolean {
    return this.done.has(key);
  }

  push(fragment: string): void {
    let i = 0;
    const n = fragment.length;
    while (i < n && this.state !== State.Error && this.state !== State.Done) {
      switch (this.state) {
        case State.String:
          i = this.readString(fragment, i);
          break;
        case State.Key:
          i = this.readKey(fragment, i);
          break;
        case State.Nested:
          i = this.skipNested(fragment, i);
          break;
        default:
          this.structural(fragment[i]);
          i++;
      }
    }
    if (this.state === State.Done) {
      for (; i < n; i++) if (!WS.test(fragment[i])) return this.fail('text after the closing brace');
    }
  }

  private fail(why: string): void {
    this.state = State.Error;
    this.why = why;
  }

  private structural(c: string): void {
    switch (this.state) {
      case State.Start:
        if (c === '{') this.state = State.ExpectKey;
        else if (!WS.test(c)) this.fail(`expected "{" but found ${JSON.stringify(c)}`);
        return;
      case State.ExpectKey:
        if (c === '"') {
          this.state = State.Key;
          this.token = '';
        } else if (c === '}' && !this.key) this.state = State.Done;
        else if (!WS.test(c)) this.fail(`expected a property name but found ${JSON.stringify(c)}`);
        return;
      case State.Colon:
        if (c === ':') this.state = State.Value;
        else if (!WS.test(c)) this.fail(`expected ":" after "${this.key}"`);
        return;
      case State.Value:
        if (WS.test(c)) return;
        if (c === '"') {
          this.state = State.String;
          this.strings.set(this.key, []);
        } else if (c === '{' || c === '[') {
          this.state = State.Nested;
          this.depth = 1;
          this.nestedInString = false;
        } else {
          this.state = State.Scalar;
          this.token = c;
        }
        return;
      case State.Scalar:
        if (c === ',' || c === '}' || WS.test(c)) {
          this.endScalar();
          if ((this.state as State) === State.AfterValue) this.structural(c);
        } else this.token += c;
        return;
      case State.AfterValue:
        if (c === ',') this.state = State.ExpectKey;
        else if (c === '}') this.state = State.Done;
        else if (!WS.test(c)) this.fail(`expected "," or "}" after "${this.key}"`);
        return;
    }
  }

  private endScalar(): void {
    let value: ArgumentValue;
    try {
      value = JSON.parse(this.token) as ArgumentValue;
    } catch {
      return this.fail(`"${this.key}" has the value ${this.token}, which is not JSON`);
    }
    this.scalars.set(this.key, value);
    this.done.add(this.key);
    this.state = State.AfterValue;
    this.listener.onValue?.(this.key, value);
  }

  private readKey(text: string, i: number): number {
    // Keys are short; decoding them through the same escape path keeps one implementation.
    while (i < text.length) {
      if (this.escape) {
        const out = this.readEscape(text[i]);
        i++;
        if (out !== undefined) this.token += out;
        continue;
      }
      const end = runEnd(text, i);
      this.token += text.slice(i, end);
      if (end === text.length) return end;
      if (text[end] === '\\') {
        this.escape = '\\';
        i = end + 1;
        continue;
      }
      this.key = this.token;
      this.token = '';
      this.state = State.Colon;
      return end + 1;
    }
    return i;
  }

  private readString(text: string, i: number): number {
    const parts = this.strings.get(this.key)!;
    let chunk = '';
    let closed = false;
    while (i < text.length) {
      if (this.escape) {
        const out = this.readEscape(text[i]);
        i++;
        if (out !== undefined) chunk += out;
        continue;
      }
      const end = runEnd(text, i);
      chunk += text.slice(i, end);
      if (end === text.length) {
        i = end;
        break;
      }
      if (text[end] === '\\') {
        this.escape = '\\';
        i = end + 1;
        continue;
      }
      closed = true;
      i = end + 1;
      break;
    }
    if (this.state === State.Error) return text.length;
    chunk = this.heldSurrogate + chunk;
    this.heldSurrogate = '';
    if (!closed && chunk) {
      const last = chunk.charCodeAt(chunk.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        this.heldSurrogate = chunk[chunk.length - 1];
        chunk = chunk.slice(0, -1);
      }
    }
    if (chunk) {
      parts.push(chunk);
      this.listener.onString?.(this.key, chunk);
    }
    if (closed) {
      this.state = State.AfterValue;
      this.done.add(this.key);
      this.listener.onValue?.(this.key, this.string(this.key));
    }
    return i;
  }

  /** One character after a backslash; returns the decoded text once the escape is whole. */
  private readEscape(c: string): string | undefined {
    if (this.escape === 'u') {
      if (!/[0-9a-fA-F]/.test(c)) {
        this.fail(`"\\u${this.hex}${c}" is not a unicode escape`);
        return undefined;
      }
      this.hex += c;
      if (this.hex.length < 4) return undefined;
      const out = String.fromCharCode(parseInt(this.hex, 16));
      this.escape = '';
      this.hex = '';
      return out;
    }
    if (c === 'u') {
      this.escape = 'u';
      this.hex = '';
      return undefined;
    }
    this.escape = '';
    const out = SIMPLE_ESCAPES[c];
    if (out === undefined) this.fail(`"\\${c}" is not a JSON escape`);
    return out;
  }

  private skipNested(text: string, i: number): number {
    for (; i < text.length; i++) {
      const c = text[i];
      if (this.nestedInString) {
        if (this.nestedEscape) this.nestedEscape = false;
        else if (c === '\\') this.nestedEscape = true;
        else if (c === '"') this.nestedInString = false;
      } else if (c === '"') this.nestedInString = true;
      else if (c === '{' || c === '[') this.depth++;
      else if (c === '}' || c === ']') {
        this.depth--;
        if (this.depth === 0) {
          this.state = State.AfterValue;
          this.done.add(this.key);
          this.listener.onValue?.(this.key, undefined);
          return i + 1;
        }
      }
    }
    return i;
  }
}

export type ParsedArguments =
  { ok: true; value: Record<string, unknown>; repaired: boolean } | { ok: false; error: string };

/**
 * The complete arguments of a call: JSON.parse, and when that fails, one repair of a stream cut
 * short (an open string closed, a dangling comma or key dropped, open brackets closed). Anything
 * else is refused, never guessed into `{}`.
 */
export function parseToolArguments(text: string): ParsedArguments {
  const first = tryObject(text.trim() === '' ? '{}' : text);
  if (first.ok) return { ...first, repaired: false };
  const repaired = repairTruncated(text);
  if (repaired !== undefined) {
    const second = tryObject(repaired);
    if (second.ok) return { ...second, repaired: true };
  }
  return { ok: false, error: first.error };
}

function tryObject(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'the arguments are not a JSON object' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** Closes what a cut-off stream left open; undefined when the text is not a cut-off object. */
export function repairTruncated(text: string): string | undefined {
  const stack: string[] = [];
  let inString = false;
  let escaped = false;
  for (const c of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') stack.push('}');
    else if (c === '[') stack.push(']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return undefined;
    }
  }
  if (!stack.length && !inString) return undefined;
  let out = text;
  if (escaped) out = out.slice(0, -1);
  if (inString) out = out.replace(/\\u[0-9a-fA-F]{0,3}$/, '') + '"';
  out = out.replace(/\s+$/, '');
  // A key without its value, or a trailing comma or colon, cannot be closed into JSON: drop it.
  out = out.replace(/,\s*"(?:[^"\\]|\\.)*"\s*:?$/, '').replace(/[,:]$/, '');
  if (/\{\s*"(?:[^"\\]|\\.)*"$/.test(out)) out = out.replace(/"(?:[^"\\]|\\.)*"$/, '');
  return out + stack.reverse().join('');
}
