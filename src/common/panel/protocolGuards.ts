/**
 * The checks at the postMessage boundary: anything can arrive there, and only well-formed messages
 * of the protocol's two unions get through.
 */
import { IMAGE_DATA_URL } from '../images/imageTypes';
import { isMention } from '../mentions/mentionTypes';
import type { Attachment, CodeAction, HostToWebview, PanelOptions, WebviewToHost } from './protocol';

/** Required string fields per message type; a message missing one is dropped. */
const WEBVIEW_TO_HOST_FIELDS: Readonly<Record<WebviewToHost['type'], readonly string[]>> = {
  ready: [],
  resync: ['messageId'],
  send: ['text'],
  stop: [],
  newChat: [],
  retry: [],
  regenerate: [],
  continue: [],
  edit: ['messageId', 'text'],
  delete: ['messageId'],
  openLink: ['url'],
  code: ['action', 'code'],
  showHistory: [],
  export: [],
  setOptions: [],
  pickModel: [],
  pickProfile: [],
  openSettings: ['setting'],
  showLog: [],
  sendWithoutAttachments: [],
  setMode: ['mode'],
  reviewEdits: [],
  openEdit: ['messageId'],
  compareList: [],
  setCompare: [],
  stopAnswer: ['messageId'],
  pickAnswer: ['messageId'],
  setup: ['action'],
  readImages: [],
  pickFiles: [],
  pickSchema: [],
  clearSchema: [],
  mentionQuery: ['query'],
  mentionsChanged: [],
};

const CODE_ACTIONS: ReadonlySet<string> = new Set<CodeAction>(['insert', 'apply', 'open']);

/** Anything can arrive over postMessage; only well-formed messages get through. */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (!value || typeof value !== 'object') return false;
  const msg = value as Record<string, unknown>;
  if (typeof msg.type !== 'string' || !Object.hasOwn(WEBVIEW_TO_HOST_FIELDS, msg.type)) return false;
  const fields = WEBVIEW_TO_HOST_FIELDS[msg.type as WebviewToHost['type']];
  if (!fields.every((field) => typeof msg[field] === 'string')) return false;
  if (msg.type === 'setOptions') return isPanelOptions(msg.options);
  if (msg.type === 'setMode') return msg.mode === 'ask' || msg.mode === 'edit';
  if (msg.type === 'reviewEdits') {
    return (
      typeof msg.accept === 'boolean' && (msg.messageId === undefined || typeof msg.messageId === 'string')
    );
  }
  if (msg.type === 'openEdit') return Number.isInteger(msg.index);
  if (msg.type === 'setCompare') {
    return (
      Array.isArray(msg.models) && msg.models.length <= 16 && msg.models.every((m) => typeof m === 'string')
    );
  }
  if (msg.type === 'setup') return ['baseUrl', 'apiKey', 'check'].includes(msg.action as string);
  if (msg.type === 'readImages') {
    return Array.isArray(msg.uris) && msg.uris.every((u) => typeof u === 'string');
  }
  if (msg.type === 'openSettings') return /^relayChat\.[\w.]+$/.test(msg.setting as string);
  if (msg.type === 'mentionQuery') return Number.isInteger(msg.id);
  if (msg.type === 'mentionsChanged') return isMentionList(msg.mentions);
  if (msg.type === 'send') {
    if (msg.mentions !== undefined && !isMentionList(msg.mentions)) return false;
    if (msg.attachments !== undefined)
      return Array.isArray(msg.attachments) && msg.attachments.every(isAttachment);
  }
  return msg.type !== 'code' || CODE_ACTIONS.has(msg.action as string);
}

const isMentionList = (value: unknown) =>
  Array.isArray(value) && value.length <= 200 && value.every(isMention);

function isAttachment(value: unknown): value is Attachment {
  if (!value || typeof value !== 'object') return false;
  const a = value as Record<string, unknown>;
  if (typeof a.name !== 'string') return false;
  if (a.kind === 'image') {
    const optionalUrl = (v: unknown) => v === undefined || (typeof v === 'string' && IMAGE_DATA_URL.test(v));
    return (
      typeof a.dataUrl === 'string' &&
      IMAGE_DATA_URL.test(a.dataUrl) &&
      optionalUrl(a.fallbackDataUrl) &&
      optionalUrl(a.smallerDataUrl) &&
      (a.detail === undefined || DETAILS.has(a.detail))
    );
  }
  return a.kind === 'file' && typeof a.uri === 'string';
}

const DETAILS: ReadonlySet<unknown> = new Set(['auto', 'low', 'high']);

const EFFORTS: ReadonlySet<unknown> = new Set(['minimal', 'low', 'medium', 'high']);

function isPanelOptions(value: unknown): value is PanelOptions {
  if (!value || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  const finite = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
  return (
    finite(o.temperature) &&
    finite(o.maxTokens) &&
    (o.reasoningEffort === undefined || EFFORTS.has(o.reasoningEffort)) &&
    (o.jsonMode === undefined || typeof o.jsonMode === 'boolean') &&
    (o.logprobs === undefined || typeof o.logprobs === 'boolean')
  );
}

/** Every host message type; a Record so that adding a variant without listing it fails to compile. */
const HOST_TO_WEBVIEW_TYPES: Readonly<Record<HostToWebview['type'], true>> = {
  state: true,
  append: true,
  update: true,
  message: true,
  remove: true,
  focusComposer: true,
  config: true,
  selection: true,
  context: true,
  compareModels: true,
  addImages: true,
  addFiles: true,
  structured: true,
  mentionResults: true,
  mentionInfo: true,
  addMentions: true,
};

export function isHostToWebview(value: unknown): value is HostToWebview {
  return (
    !!value &&
    typeof value === 'object' &&
    Object.hasOwn(HOST_TO_WEBVIEW_TYPES, (value as { type?: unknown }).type as string)
  );
}
