/** A JSON Schema the next answers must follow, as `response_format: json_schema` names it. */
export interface StructuredSchema {
  /** `^[A-Za-z0-9_-]{1,64}$`, as the API takes it; also what the panel shows. */
  name: string;
  schema: Record<string, unknown>;
}

/** One place the answer does not fit the schema. */
export interface SchemaError {
  /** A JSON Pointer into the answer: `/items/0/price`; `/` is the whole answer. */
  path: string;
  message: string;
}

/** How a finished answer measured against the schema it was asked for. */
export interface StructuredResult {
  /** The schema's name. */
  schema: string;
  /** The answer parsed as JSON; when false, `parseError` says why and nothing was checked. */
  json: boolean;
  parseError?: string;
  /** Empty when the answer is valid. At most MAX_ERRORS; `moreErrors` counts the rest. */
  errors: SchemaError[];
  moreErrors?: number;
}

export const MAX_ERRORS = 50;
