/**
 * The fill-in-the-middle prompt formats of the code models people run for completion, for servers
 * that take only a `prompt` (vLLM, LM Studio, llama.cpp's /completion, a relay in front of them):
 * the hole is spelt with the model's own sentinel tokens, and the server never sees a `suffix`.
 *
 * Sources, read (not copied) per family:
 * - Qwen2.5-Coder / Qwen3-Coder: the Qwen2.5-Coder README ("file-level code completion") and
 *   technical report, Figure 4 (repo-level FIM: `<|repo_name|>`, `<|file_sep|>path\ncontent`).
 * - DeepSeek-Coder (v1 and V2): the deepseek-coder model cards ("code insertion"); full-width bars
 *   `｜` (U+FF5C) and `▁` (U+2581) are part of the tokens.
 * - StarCoder2: the StarCoder2 paper (arXiv 2402.19173) §5.1, repository-level FIM
 *   `<repo_name>r<file_sep>path\ncode<file_sep><fim_prefix>path\npre<fim_suffix>suf<fim_middle>`.
 * - StarCoder (1): the bigcode model card's `<fim_prefix>…<fim_suffix>…<fim_middle>`; its metadata
 *   token `<filename>` opens the document, so it sits inside the prefix.
 * - Codestral: Mistral's `[SUFFIX]…[PREFIX]…` order (mistral-common's FIM tokens); other files as
 *   `+++++ path` headers in the prefix, as Continue's multi-file Codestral template does.
 * - CodeLlama: the Code Llama paper / Meta's reference `<PRE> {pre} <SUF>{suf} <MID>`, ending `<EOT>`.
 * - CodeGemma: Google's "CodeGemma formatting" page: `<|fim_prefix|>…<|fim_suffix|>…<|fim_middle|>`
 *   and `<|file_separator|>` between files of a multi-file context.
 * Stop lists follow the same sources and the sentinel lists llama.cpp and Continue stop on.
 */
export type FimFamily =
  'qwen-coder' | 'deepseek-coder' | 'starcoder' | 'starcoder2' | 'codestral' | 'codellama' | 'codegemma';

/** A chunk of another file near what the user is looking at (an open editor, a recent jump). */
export interface FimSnippet {
  path: string;
  text: string;
}

export interface FimInput {
  prefix: string;
  suffix: string;
  /** The file's path relative to its workspace folder. */
  path?: string;
  /** The workspace folder's name, for formats that name the repository. */
  repo?: string;
  snippets?: readonly FimSnippet[];
}

export interface FimTemplate {
  build(input: FimInput): string;
  /** Where generation must end: the format's own sentinels and end-of-text tokens. */
  stop: readonly string[];
  /** False when the format has no place for other files: snippets are left out, not improvised. */
  takesSnippets: boolean;
}

/** Every snippet ends with a line break, so the next separator starts a line of its own. */
const asFile = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
const snippetsOf = (input: FimInput) => input.snippets ?? [];
const hasContext = (input: FimInput) => snippetsOf(input).length > 0 || !!input.path;

const QWEN: FimTemplate = {
  build(input) {
    const fim = `<|fim_prefix|>${input.prefix}<|fim_suffix|>${input.suffix}<|fim_middle|>`;
    if (!hasContext(input)) return fim;
    const repo = input.repo ? `<|repo_name|>${input.repo}\n` : '';
    const files = snippetsOf(input)
      .map((s) => `<|file_sep|>${s.path}\n${asFile(s.text)}`)
      .join('');
    const current = input.path ? `<|file_sep|>${input.path}\n` : '<|file_sep|>';
    return `${repo}${files}${current}${fim}`;
  },
  stop: [
    '<|endoftext|>',
    '<|fim_prefix|>',
    '<|fim_suffix|>',
    '<|fim_middle|>',
    '<|fim_pad|>',
    '<|repo_name|>',
    '<|file_sep|>',
    '<|im_start|>',
    '<|im_end|>',
  ],
  takesSnippets: true,
};

const DEEPSEEK: FimTemplate = {
  build: (input) => `<｜fim▁begin｜>${input.prefix}<｜fim▁hole｜>${input.suffix}<｜fim▁end｜>`,
  stop: ['<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>', '<｜end▁of▁sentence｜>', '<|EOT|>'],
  takesSnippets: false,
};

const STARCODER2: FimTemplate = {
  build(input) {
    if (!hasContext(input)) return `<fim_prefix>${input.prefix}<fim_suffix>${input.suffix}<fim_middle>`;
    const repo = input.repo ? `<repo_name>${input.repo}` : '';
    const files = snippetsOf(input)
      .map((s) => `<file_sep>${s.path}\n${asFile(s.text)}`)
      .join('');
    // The paper's order: `<fim_prefix>` comes before the file's path, not after it.
    const path = input.path ? `${input.path}\n` : '';
    return `${repo}${files}<file_sep><fim_prefix>${path}${input.prefix}<fim_suffix>${input.suffix}<fim_middle>`;
  },
  stop: ['<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<file_sep>', '<|endoftext|>'],
  takesSnippets: true,
};

const STARCODER: FimTemplate = {
  build(input) {
    const path = input.path ? `<filename>${input.path}\n` : '';
    return `<fim_prefix>${path}${input.prefix}<fim_suffix>${input.suffix}<fim_middle>`;
  },
  stop: ['<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<filename>', '<|endoftext|>'],
  takesSnippets: false,
};

const CODESTRAL: FimTemplate = {
  build(input) {
    const snippets = snippetsOf(input);
    if (snippets.length === 0) return `[SUFFIX]${input.suffix}[PREFIX]${input.prefix}`;
    const files = snippets.map((s) => `+++++ ${s.path}\n${asFile(s.text)}`).join('\n');
    const current = `+++++ ${input.path ?? 'untitled'}\n`;
    return `[SUFFIX]${input.suffix}[PREFIX]${files}\n${current}${input.prefix}`;
  },
  stop: ['[PREFIX]', '[SUFFIX]', '[MIDDLE]', '</s>'],
  takesSnippets: true,
};

const CODELLAMA: FimTemplate = {
  // The spaces are the format's: one after <PRE>, one before <SUF> and before <MID>.
  build: (input) => `<PRE> ${input.prefix} <SUF>${input.suffix} <MID>`,
  stop: ['<PRE>', '<SUF>', '<MID>', '<EOT>'],
  takesSnippets: false,
};

const CODEGEMMA: FimTemplate = {
  build(input) {
    const files = snippetsOf(input)
      .map((s) => `${s.path}\n${asFile(s.text)}<|file_separator|>`)
      .join('');
    return `${files}<|fim_prefix|>${input.prefix}<|fim_suffix|>${input.suffix}<|fim_middle|>`;
  },
  stop: [
    '<|fim_prefix|>',
    '<|fim_suffix|>',
    '<|fim_middle|>',
    '<|file_separator|>',
    '<end_of_turn>',
    '<eos>',
  ],
  takesSnippets: true,
};

const TEMPLATES: Record<FimFamily, FimTemplate> = {
  'qwen-coder': QWEN,
  'deepseek-coder': DEEPSEEK,
  starcoder: STARCODER,
  starcoder2: STARCODER2,
  codestral: CODESTRAL,
  codellama: CODELLAMA,
  codegemma: CODEGEMMA,
};

export const FIM_FAMILIES = Object.keys(TEMPLATES) as FimFamily[];

export function isFimFamily(value: unknown): value is FimFamily {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TEMPLATES, value);
}

export function fimTemplate(family: FimFamily): FimTemplate {
  return TEMPLATES[family];
}

/**
 * The family a model id names, in the spellings Ollama (`qwen2.5-coder:7b`), Hugging Face
 * (`bigcode/starcoder2-15b`), relays and providers (`codestral-latest`) use. Order matters:
 * `starcoder2` before `starcoder`; CodeQwen 1.5 speaks StarCoder's tokens (Continue maps it so),
 * unlike Qwen2.5/Qwen3-Coder.
 */
const FAMILY_PATTERNS: readonly [RegExp, FimFamily][] = [
  [/codeqwen/, 'starcoder'],
  [/qwen-?[\d.]*-?coder/, 'qwen-coder'],
  [/deepseek-?coder/, 'deepseek-coder'],
  [/star-?coder-?2/, 'starcoder2'],
  [/star-?coder/, 'starcoder'],
  [/codestral/, 'codestral'],
  [/code-?llama/, 'codellama'],
  [/code-?gemma/, 'codegemma'],
];

export function familyOf(modelId: string): FimFamily | undefined {
  const id = modelId.toLowerCase();
  return FAMILY_PATTERNS.find(([pattern]) => pattern.test(id))?.[1];
}

/** The family a setting names wins over the model id; an unknown setting value is ignored. */
export function resolveFamily(
  modelId: string,
  setting: string | undefined,
): { family: FimFamily; source: 'setting' | 'model' } | undefined {
  if (isFimFamily(setting)) return { family: setting, source: 'setting' };
  const family = familyOf(modelId);
  return family && { family, source: 'model' };
}
