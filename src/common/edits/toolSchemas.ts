import type { FunctionTool } from '../endpoint/chatTypes';

/** The tools edit mode offers. Their names and argument names are the interface with the model. */
export type EditToolName =
  | 'read_file'
  | 'list_files'
  | 'search_text'
  | 'get_problems'
  | 'replace_in_file'
  | 'create_file'
  | 'replace_selection';

export const EDIT_TOOL_NAMES: readonly EditToolName[] = [
  'read_file',
  'list_files',
  'search_text',
  'get_problems',
  'replace_in_file',
  'create_file',
  'replace_selection',
];

export function isEditToolName(name: string): name is EditToolName {
  return (EDIT_TOOL_NAMES as readonly string[]).includes(name);
}

/** How many lines read_file returns at most, and how many characters. */
export const READ_LINE_LIMIT = 2000;
export const READ_CHAR_LIMIT = 100_000;
/** Files larger than this are neither read whole nor edited. */
export const MAX_EDIT_BYTES = 1_000_000;
export const LIST_LIMIT = 500;
/** search_text's matches: by default, and at most whatever the model asks. */
export const SEARCH_DEFAULT = 100;
export const SEARCH_MAX = 500;
/** get_problems' diagnostics at most, errors first. */
export const PROBLEMS_LIMIT = 50;

interface Param {
  type: string | string[];
  description: string;
}

/**
 * A strict schema (OpenAI structured outputs) needs every property required and no others: optional
 * ones become nullable instead.
 */
function tool(
  name: EditToolName,
  description: string,
  required: Record<string, Param>,
  optional: Record<string, Param>,
  strict: boolean,
): FunctionTool {
  const properties: Record<string, unknown> = { ...required };
  for (const [key, param] of Object.entries(optional)) {
    properties[key] = strict ? { ...param, type: [param.type, 'null'].flat() } : param;
  }
  return {
    type: 'function',
    function: {
      name,
      description,
      parameters: {
        type: 'object',
        properties,
        required: strict ? Object.keys(properties) : Object.keys(required),
        additionalProperties: false,
      },
      ...(strict ? { strict: true } : {}),
    },
  };
}

const PATH: Param = {
  type: 'string',
  description:
    'A path relative to the workspace folder, with forward slashes (e.g. "src/app.ts"). In a workspace with several folders, start with the folder name. No absolute paths, no "..".',
};

/** The panel's edit mode: read, list, search, problems, replace, create. */
export function editTools(strict: boolean): FunctionTool[] {
  return [
    tool(
      'read_file',
      `Read a file of the workspace. Returns its text with line numbers ("12| text"); for a file open in the editor, the unsaved text the user sees. At most ${READ_LINE_LIMIT} lines per call: use start_line and end_line for longer files. Read a file before you replace text in it.`,
      { path: PATH },
      {
        start_line: { type: 'integer', description: 'First line to return, 1-based. Default 1.' },
        end_line: { type: 'integer', description: 'Last line to return, 1-based, inclusive.' },
      },
      strict,
    ),
    tool(
      'list_files',
      `List workspace files (relative paths), leaving out files.exclude and .gitignore. At most ${LIST_LIMIT} entries.`,
      {},
      {
        path: {
          type: 'string',
          description: 'A folder to list, relative to the workspace. Default: the whole workspace.',
        },
        glob: { type: 'string', description: 'A glob to filter by, e.g. "**/*.ts".' },
      },
      strict,
    ),
    tool(
      'search_text',
      `Search the text of the workspace's files, line by line, leaving out files.exclude, search.exclude and .gitignore. Returns matching lines as "path:line: text", at most max_results (default ${SEARCH_DEFAULT}, at most ${SEARCH_MAX}). Case-insensitive unless the query has a capital letter.`,
      {
        query: {
          type: 'string',
          description: 'The text to find, or a JavaScript regular expression when is_regex is true.',
        },
      },
      {
        is_regex: { type: 'boolean', description: 'Whether query is a regular expression. Default false.' },
        glob: {
          type: 'string',
          description: 'Only files whose workspace path matches this glob, e.g. "src/**/*.ts".',
        },
        max_results: {
          type: 'integer',
          description: `How many matching lines to return at most. Default ${SEARCH_DEFAULT}, at most ${SEARCH_MAX}.`,
        },
      },
      strict,
    ),
    tool(
      'get_problems',
      `The errors and warnings the editor's language services report (type errors, lint), each as "path:line:col severity source: message" with the lines around it, errors first, at most ${PROBLEMS_LIMIT}. Without path: the files you changed in this answer (or, before any change, the workspace's errors). Call it after your edits to see what they broke.`,
      {},
      { path: { ...PATH, description: `A file to report on. ${PATH.description}` } },
      strict,
    ),
    tool(
      'replace_in_file',
      'Replace text in an existing file. old_text must occur exactly once in the file: copy it from read_file without the line numbers, with enough surrounding lines to be unique. new_text replaces it whole. Line endings and indentation of the file are kept. To delete, give an empty new_text; never replace a whole file with nothing.',
      {
        path: PATH,
        old_text: {
          type: 'string',
          description: 'The exact text to replace (no line numbers), unique in the file.',
        },
        new_text: { type: 'string', description: 'The text to put in its place.' },
      },
      {},
      strict,
    ),
    tool(
      'create_file',
      'Create a new file with the given content. Refused when the file exists: use replace_in_file for existing files.',
      {
        path: PATH,
        content: { type: 'string', description: 'The whole text of the new file.' },
      },
      {},
      strict,
    ),
  ];
}

/** Edit Selection: the one tool, forced with tool_choice. */
export function selectionTool(strict: boolean): FunctionTool {
  return tool(
    'replace_selection',
    'Replace the text the user selected with `text`: the complete new code for exactly that range, in the same indentation, without fences or commentary.',
    { text: { type: 'string', description: 'The replacement for the selected text.' } },
    {},
    strict,
  );
}

/** Strict schemas off: what an endpoint that refused `strict` gets. */
export function withoutStrict(tools: readonly FunctionTool[]): FunctionTool[] {
  return tools.map((t) => {
    const { strict: _dropped, ...fn } = t.function;
    return { ...t, function: fn };
  });
}
