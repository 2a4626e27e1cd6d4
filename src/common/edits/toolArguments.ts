// A tool call's arguments checked against its tool's rules before anything runs, with a reason the
// model can act on. Kept apart from EditToolRunner, which runs calls that passed.
import type { EditToolName } from './toolSchemas';

type ArgRule = { type: 'string' | 'integer' | 'boolean'; required: boolean; min?: number };

const ARGUMENTS: Record<EditToolName, Record<string, ArgRule>> = {
  read_file: {
    path: { type: 'string', required: true },
    start_line: { type: 'integer', required: false, min: 1 },
    end_line: { type: 'integer', required: false, min: 1 },
  },
  list_files: { path: { type: 'string', required: false }, glob: { type: 'string', required: false } },
  search_text: {
    query: { type: 'string', required: true },
    is_regex: { type: 'boolean', required: false },
    glob: { type: 'string', required: false },
    max_results: { type: 'integer', required: false, min: 1 },
  },
  get_problems: { path: { type: 'string', required: false } },
  replace_in_file: {
    path: { type: 'string', required: true },
    old_text: { type: 'string', required: true },
    new_text: { type: 'string', required: true },
  },
  create_file: { path: { type: 'string', required: true }, content: { type: 'string', required: true } },
  replace_selection: { text: { type: 'string', required: true } },
};

/** The schema's rules, said the way the model can act on. */
export function checkArguments(name: EditToolName, args: Record<string, unknown>): string | undefined {
  const rules = ARGUMENTS[name];
  for (const [key, rule] of Object.entries(rules)) {
    const value = args[key];
    if (value === undefined || value === null) {
      if (rule.required)
        return `the argument "${key}" is missing. Arguments: ${Object.keys(rules).join(', ')}.`;
      continue;
    }
    if (rule.type === 'string' && typeof value !== 'string') return `"${key}" must be a string.`;
    if (rule.type === 'boolean' && typeof value !== 'boolean') return `"${key}" must be true or false.`;
    if (rule.type === 'integer' && !(typeof value === 'number' && Number.isInteger(value))) {
      return `"${key}" must be a whole number.`;
    }
    if (rule.min !== undefined && (value as number) < rule.min)
      return `"${key}" must be at least ${rule.min}.`;
  }
  const unknown = Object.keys(args).filter((k) => !(k in rules));
  if (unknown.length)
    return `unknown argument${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}. Arguments: ${Object.keys(rules).join(', ')}.`;
  if (name === 'replace_in_file' && args.old_text === '') {
    return 'old_text is empty. Copy the lines to replace from read_file; use create_file for a new file.';
  }
  if (name === 'search_text' && args.query === '') return 'query is empty. Give the text to find.';
  if (
    name === 'read_file' &&
    typeof args.end_line === 'number' &&
    typeof args.start_line === 'number' &&
    args.end_line < args.start_line
  ) {
    return 'end_line is before start_line.';
  }
  return undefined;
}
