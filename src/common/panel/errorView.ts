import { BaseUrlError } from '../endpoint/baseUrl';
import type { ChatEvent } from '../stream/chatEvents';
import { EndpointError, type ErrorHint } from '../endpoint/endpointError';
import { SettingsError } from '../settings/settingsError';
import type { ErrorView } from './protocol';
import { ContextOverflowError, describeContextOverflow } from '../context/contextPlan';
import { identityTranslate, type Translate } from '../l10n/translate';

function hintText(t: Translate, hint: ErrorHint, host: string): string {
  switch (hint) {
    case 'auth':
      return t('The key was refused. Run "Relay Chat: Set API Key" with a valid key for {0}.', host);
    case 'notFound':
      return t(
        'Check "relayChat.baseUrl" (the API root, e.g. https://{0}/v1) and that the model name exists on this endpoint.',
        host,
      );
    case 'rateLimited':
      return t(
        'The endpoint is rate-limiting or out of quota. Wait a moment, then retry; check your balance with the provider.',
      );
    case 'quota':
      return t(
        'The account behind this key is out of balance or quota. Top it up with the provider, or use another key.',
      );
    case 'server':
      return t(
        'The relay or its upstream failed. Retry; if it persists, try another model or check the provider status.',
      );
    case 'badRequest':
      return t('The endpoint rejected the request. Check the model name and parameters for this provider.');
    case 'unreachable':
      return t(
        'Could not connect to {0}. Is the server running and the base URL correct? Check proxy settings if you use one.',
        host,
      );
    case 'dns':
      return t('The host name {0} could not be resolved. Check the base URL and your network.', host);
    case 'timeout':
      return t('{0} took too long to answer. Retry, or try again later.', host);
    case 'badResponse':
      return t(
        '{0} answered with something that is not an OpenAI-compatible response. Check the base URL.',
        host,
      );
    case 'streamCut':
      return t('The connection to {0} closed before the answer was complete. Retry to ask again.', host);
    case 'emptyAnswer':
      return t(
        'The model sent no text, no thinking and no tool call. Retry; if it keeps happening, try another model or check the relay.',
      );
    case 'unexpectedFinish':
      return t(
        'The relay ended the answer early for a reason of its own. What arrived is kept: Continue to carry on, or Retry.',
      );
    case 'config':
      return t('Open the settings and check "relayChat.baseUrl" and "relayChat.model".');
    case 'textOnly':
      return t(
        'This model or endpoint takes no images or files: nothing was sent without them. Remove the image and send again, or choose a model that takes images.',
      );
  }
}

/** The server's words, with its error code where it gave one that the words do not already carry. */
function serverWords(err: EndpointError): string | undefined {
  const code = err.errorCode?.trim();
  const words = err.serverMessage;
  if (!code || code === 'null' || code === err.errorType || code === String(err.status)) return words;
  if (!words) return code;
  return words.includes(code) ? words : `${words} (${code})`;
}

/** Status, host, the server's own words, the request id, and what to do next. Never a stack. */
export function describeError(err: unknown, t: Translate = identityTranslate): ErrorView {
  if (err instanceof ContextOverflowError) return describeContextOverflow(err, t);
  if (err instanceof SettingsError && err.problems.length) {
    const [first] = err.problems;
    return {
      kind: 'settings',
      title: t('Settings problem: {0}', first.path),
      detail: err.problems.map((p) => p.message).join('\n'),
      hint: t('Correct it in the settings; the next message uses the new value.'),
      setting: first.setting,
      retryable: false,
    };
  }
  if (err instanceof EndpointError && err.kind === 'config') {
    return {
      kind: 'settings',
      title: t('Settings problem'),
      detail: err.serverMessage,
      hint: hintText(t, 'config', err.host),
      setting: 'relayChat.model',
      retryable: false,
    };
  }
  if (err instanceof EndpointError) {
    const title = err.status
      ? t('Request failed: HTTP {0} from {1}', err.status, err.host)
      : err.hint === 'emptyAnswer'
        ? t('{0} ended the answer without any content', err.host)
        : err.hint === 'unexpectedFinish'
          ? t('{0} ended the answer unexpectedly', err.host)
          : err.kind === 'stream'
            ? t('The stream from {0} broke off', err.host)
            : t('Could not reach {0}', err.host);
    return {
      title,
      detail: serverWords(err),
      hint: hintText(t, err.hint, err.host),
      requestId: err.requestId,
      retryable: err.hint !== 'config',
      // The panel offers to ask again without the images: only on the user's word.
      ...(err.hint === 'textOnly' ? { kind: 'textOnly' as const } : {}),
    };
  }
  if (err instanceof BaseUrlError) {
    return {
      kind: 'settings',
      title: t('The base URL is not valid'),
      detail: err.message,
      hint: hintText(t, 'config', ''),
      setting: 'relayChat.baseUrl',
      retryable: false,
    };
  }
  // A JavaScript message means nothing to the user: the stack goes to the log (the host logs it).
  return {
    kind: 'unexpected',
    title: t('Relay Chat ran into an unexpected problem and could not finish this answer.'),
    hint: t('The details are in the log. Retry, or report it with the log attached.'),
    retryable: true,
  };
}

/** Errors that describeError cannot explain in the user's terms; their stack belongs in the log. */
export function isUnexpectedError(err: unknown): boolean {
  return !(
    err instanceof EndpointError ||
    err instanceof SettingsError ||
    err instanceof BaseUrlError ||
    err instanceof ContextOverflowError
  );
}

/** The one line the panel shows when the engine changed a request to suit the endpoint. */
export function describeNotice(
  event: Extract<ChatEvent, { type: 'notice' }>,
  t: Translate = identityTranslate,
): string {
  if (event.code === 'imagesShrunk') {
    return t('The endpoint refused the request as too large (413); sent it again with smaller images.');
  }
  switch (event.downgrade) {
    case 'max_tokens':
      return t('This endpoint refused max_tokens; sent max_completion_tokens instead.');
    case 'max_completion_tokens':
      return t('This endpoint refused max_completion_tokens; sent max_tokens instead.');
    case 'developer':
      return t('This endpoint refused the developer role; sent it as a system message.');
    case 'stream':
      return t('This endpoint does not stream; the answer arrives all at once.');
    case 'tools':
      return t('This model does not accept tools here; asked without them.');
    case 'name':
      return t('This endpoint refused names on messages; asked without them.');
    case 'null_content':
      return t('This endpoint refused an assistant message without text; sent it as empty text.');
    case 'content_array':
      return t('This endpoint takes message content only as text; sent each message as one string.');
    case 'image_webp':
      return t('This endpoint refused WebP images; sent them as PNG or JPEG.');
    case 'json_schema':
      return t(
        'This endpoint does not take a JSON Schema (response_format json_schema); asked for JSON (json_object) with the schema in the prompt. The answer is still checked against the schema here.',
      );
    default:
      return t('This endpoint refused {0}; asked without it.', event.downgrade);
  }
}

/** "Retrying in 4 s (2 of 3)…" for the panel's status line. */
export function describeRetry(
  event: Extract<ChatEvent, { type: 'retrying' }>,
  maxRetries: number,
  t: Translate = identityTranslate,
): string {
  return t(
    'Retrying in {0} s ({1} of {2})…',
    Math.max(1, Math.round(event.delayMs / 1000)),
    event.attempt,
    maxRetries,
  );
}
