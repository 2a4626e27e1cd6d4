/**
 * Every `relayChat.*` setting, read once and checked against the manifest's own schema. What cannot
 * work is never used: a broken profile is set aside with its reasons, a bad request option or
 * header is left out of the request, a bad number falls back to its default; each is named in
 * a problem the user can act on.
 */
import { normalizeBaseUrl } from '../endpoint/baseUrl';
import { isServerKind } from '../endpoint/serverKind';
import type { EndpointProfile } from '../endpoint/profile';
import type { ChatOptions } from '../endpoint/requestBuilder';
import { identityTranslate, type Translate } from '../l10n/translate';
import {
  checkValue,
  describeFound,
  looksLikeCredential,
  type SettingProblem,
  type SettingSchema,
} from './settingSchema';
import { isObject, readHeaders, readModels, readOptions } from './requestSettings';

export const SECTION = 'relayChat';
/** The profile formed by `relayChat.baseUrl` / `relayChat.model` / `relayChat.headers`. */
export const DEFAULT_PROFILE_ID = 'default';

const key = (name: string) => `${SECTION}.${name}`;
const PROFILES = key('profiles');
const ACTIVE = key('activeProfile');
const HEADERS = key('headers');
const OPTIONS = key('requestOptions');
/** Settings read by their own rules below; every other key is checked alone and falls back to its default. */
const COMPOSITE = new Set([key('baseUrl'), key('model'), PROFILES, ACTIVE, HEADERS, OPTIONS]);

const CREDENTIAL_HEADERS = new Set(['authorization', 'api-key', 'x-api-key']);

/** A header in plain settings that looks like a key: it belongs in Secret Storage. */
export interface CredentialHeader {
  /** `relayChat.headers` or `relayChat.profiles`. */
  setting: string;
  path: string;
  profileId: string;
  header: string;
}

export interface UnusableProfile {
  id?: string;
  name?: string;
  problems: SettingProblem[];
}

export interface SettingsInput {
  /** The manifest's `contributes.configuration.properties`. */
  schema: Readonly<Record<string, SettingSchema>>;
  /** What the user has for each key (defaults applied), as `WorkspaceConfiguration.get` returns it. */
  values: Readonly<Record<string, unknown>>;
  /** The default profile's display name, translated. */
  defaultProfileName?: string;
  t?: Translate;
}

export interface SettingsRead {
  /** Profiles that can be used: the default one first. */
  profiles: EndpointProfile[];
  unusable: UnusableProfile[];
  /** The id `relayChat.activeProfile` asks for (`default` when it is not text). */
  activeId: string;
  /** Undefined when the active profile cannot work; `activeProblems` says why. */
  active?: EndpointProfile;
  activeProblems: SettingProblem[];
  /** Set when the active profile has no model: nothing can be asked until one is chosen. */
  modelProblem?: SettingProblem;
  /** The valid part of `relayChat.requestOptions`. */
  requestOptions: ChatOptions;
  /** What was left out or replaced on the way to a request; each message says so. */
  notices: SettingProblem[];
  credentialHeaders: CredentialHeader[];
  /** A valid value for every other key: the user's, or the default when the user's is wrong. */
  values: Record<string, unknown>;
}

/** `relayChat.baseUrl` must read as an http(s) address, not merely survive `new URL`. */
export function baseUrlProblem(
  value: string,
  path: string,
  setting: string,
  t: Translate,
): SettingProblem | undefined {
  const expected = t('an http:// or https:// URL such as https://relay.example.com/v1');
  const trimmed = value.trim();
  if (!trimmed) return { setting, path, message: t('{0} is empty; expected {1}.', path, expected) };
  // `htp:/host` or `ftp://host` is a wrong scheme, not a host name; `localhost:8080` is a host.
  const wrongScheme = /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(trimmed) && !/^https?:\/\//i.test(trimmed);
  let bad = /\s/.test(trimmed) || wrongScheme || looksLikeCredential(trimmed);
  if (!bad) {
    try {
      const url = new URL(normalizeBaseUrl(trimmed));
      if (url.username || url.password) {
        // Never repeated back: the password is likely a key.
        return {
          setting,
          path,
          message: t(
            '{0} has a user name or password in it; expected {1}, and the key set with "Relay Chat: Set API Key".',
            path,
            expected,
          ),
        };
      }
      bad = !url.hostname || url.hostname.includes('%');
    } catch {
      bad = true;
    }
  }
  if (!bad) return undefined;
  return {
    setting,
    path,
    message: t(
      '{0} is {1}, which is not a web address; expected {2}.',
      path,
      describeFound(value, t),
      expected,
    ),
  };
}

/** Headers that look like a key, wherever a profile has them, usable or not. */
function credentialHeaders(headers: unknown, profiles: unknown): CredentialHeader[] {
  const found: CredentialHeader[] = [];
  const scan = (value: unknown, setting: string, path: string, profileId: string) => {
    if (!isObject(value)) return;
    for (const [header, v] of Object.entries(value)) {
      if (typeof v !== 'string') continue;
      if (CREDENTIAL_HEADERS.has(header.toLowerCase()) || looksLikeCredential(v)) {
        found.push({ setting, path: `${path}.${header}`, profileId, header });
      }
    }
  };
  scan(headers, HEADERS, HEADERS, DEFAULT_PROFILE_ID);
  if (Array.isArray(profiles)) {
    profiles.forEach((p: unknown, i) => {
      if (isObject(p) && typeof p.id === 'string' && p.id.trim()) {
        scan(p.headers, PROFILES, `${PROFILES}[${i}].headers`, p.id);
      }
    });
  }
  return found;
}

/** The one-time warning for a header that looks like a key. */
export function describeCredentialHeader(found: CredentialHeader, t: Translate = identityTranslate): string {
  return t(
    'Relay Chat: {0} looks like a key. settings.json is plain text and may sync to other machines. Moved to Secret Storage, it becomes this profile\'s API key, sent as "Authorization: Bearer".',
    found.path,
  );
}

export function readSettings(input: SettingsInput): SettingsRead {
  const t = input.t ?? identityTranslate;
  const { schema, values: raw } = input;
  const notices: SettingProblem[] = [];
  const values: Record<string, unknown> = {};

  for (const [name, sub] of Object.entries(schema)) {
    if (COMPOSITE.has(name)) continue;
    const value = raw[name] === undefined ? sub.default : raw[name];
    const problems = checkValue(sub, value, name, name, t);
    values[name] = problems.length ? sub.default : value;
    for (const p of problems) {
      notices.push({
        ...p,
        message: t('{0} Using the default, {1}, instead.', p.message, JSON.stringify(sub.default)),
      });
    }
  }

  const optionsSchema = schema[OPTIONS] ?? { type: 'object' };
  const requestOptions = readOptions(optionsSchema, raw[OPTIONS], OPTIONS, OPTIONS, t, notices);

  // The default profile.
  const defaultProblems: SettingProblem[] = [];
  const baseUrl = raw[key('baseUrl')];
  const model = raw[key('model')];
  const baseUrlTyped = checkValue(
    schema[key('baseUrl')] ?? { type: 'string' },
    baseUrl,
    key('baseUrl'),
    key('baseUrl'),
    t,
  );
  defaultProblems.push(
    ...(baseUrlTyped.length
      ? baseUrlTyped
      : [baseUrlProblem(baseUrl as string, key('baseUrl'), key('baseUrl'), t)]
    ).filter((p): p is SettingProblem => !!p),
  );
  defaultProblems.push(
    ...checkValue(schema[key('model')] ?? { type: 'string' }, model, key('model'), key('model'), t),
  );
  const defaultProfile: EndpointProfile = {
    id: DEFAULT_PROFILE_ID,
    name: input.defaultProfileName ?? 'Default',
    baseUrl: typeof baseUrl === 'string' ? baseUrl : '',
    defaultModel: typeof model === 'string' ? model : '',
    headers: readHeaders(raw[HEADERS], HEADERS, HEADERS, t, notices),
  };
  const serverKind = raw[key('serverKind')];
  if (isServerKind(serverKind)) defaultProfile.serverKind = serverKind;

  const profiles: EndpointProfile[] = [];
  const unusable: UnusableProfile[] = [];
  /** Notices about a profile, shown only when it is the active one. */
  const profileNotices = new Map<string, SettingProblem[]>();
  if (defaultProblems.length)
    unusable.push({ id: DEFAULT_PROFILE_ID, name: defaultProfile.name, problems: defaultProblems });
  else profiles.push(defaultProfile);

  const listSchema = schema[PROFILES] ?? { type: 'array' };
  const itemSchema = listSchema.items ?? { type: 'object' };
  const list = raw[PROFILES] ?? [];
  let listProblem: SettingProblem | undefined;
  if (!Array.isArray(list)) {
    [listProblem] = checkValue(listSchema, list, PROFILES, PROFILES, t);
  } else {
    const seen = new Map<string, number>();
    list.forEach((item: unknown, i) => {
      const at = `${PROFILES}[${i}]`;
      if (!isObject(item)) {
        unusable.push({ problems: checkValue(itemSchema, item, at, PROFILES, t) });
        return;
      }
      const id = typeof item.id === 'string' ? item.id : undefined;
      const name = typeof item.name === 'string' ? item.name : undefined;
      const own: SettingProblem[] = [];
      const problems: SettingProblem[] = [];
      const fields = Object.fromEntries(
        Object.entries(itemSchema.properties ?? {}).filter(
          ([field]) => field !== 'headers' && field !== 'models',
        ),
      );
      for (const p of checkValue(
        { ...itemSchema, properties: fields, additionalProperties: true },
        item,
        at,
        PROFILES,
        t,
      )) {
        problems.push(p);
      }
      for (const field of Object.keys(item)) {
        if (itemSchema.properties?.[field] || itemSchema.additionalProperties !== false) continue;
        own.push({
          setting: PROFILES,
          path: `${at}.${field}`,
          message: t(
            '{0} is not a known setting; expected only {1}. It is ignored.',
            `${at}.${field}`,
            Object.keys(itemSchema.properties ?? {}).join(', '),
          ),
        });
      }
      if (id !== undefined && !id.trim()) {
        problems.push({
          setting: PROFILES,
          path: `${at}.id`,
          message: t('{0} is empty; expected an id no other profile has.', `${at}.id`),
        });
      } else if (id === DEFAULT_PROFILE_ID) {
        problems.push({
          setting: PROFILES,
          path: `${at}.id`,
          message: t(
            '{0} is "default", the id of the profile made from relayChat.baseUrl and relayChat.model; expected another id.',
            `${at}.id`,
          ),
        });
      } else if (id !== undefined && seen.has(id)) {
        problems.push({
          setting: PROFILES,
          path: `${at}.id`,
          message: t(
            '{0} is "{1}", the same as {2}; expected an id no other profile has.',
            `${at}.id`,
            id,
            `${PROFILES}[${seen.get(id)}].id`,
          ),
        });
      }
      if (name !== undefined && !name.trim()) {
        problems.push({
          setting: PROFILES,
          path: `${at}.name`,
          message: t('{0} is empty; expected the name shown in the panel.', `${at}.name`),
        });
      }
      if (typeof item.baseUrl === 'string') {
        const p = baseUrlProblem(item.baseUrl, `${at}.baseUrl`, PROFILES, t);
        if (p) problems.push(p);
      }
      if (id !== undefined && !seen.has(id)) seen.set(id, i);
      if (problems.length) {
        // A profile trying to be "default" must not stand in for the real default profile.
        unusable.push({ id: id === DEFAULT_PROFILE_ID ? undefined : id, name, problems });
        return;
      }
      const profile: EndpointProfile = {
        id: id!,
        name: name!,
        baseUrl: item.baseUrl as string,
        defaultModel: item.defaultModel as string,
        ...(isServerKind(item.serverKind) ? { serverKind: item.serverKind } : {}),
        ...(typeof item.systemPrompt === 'string' && item.systemPrompt.trim()
          ? { systemPrompt: item.systemPrompt }
          : {}),
      };
      const headers = readHeaders(item.headers, `${at}.headers`, PROFILES, t, own);
      if (headers) profile.headers = headers;
      const models = readModels(item.models, `${at}.models`, PROFILES, optionsSchema, t, own);
      if (models) profile.models = models;
      profiles.push(profile);
      profileNotices.set(id!, own);
    });
  }

  // The active profile.
  const activeRaw = raw[ACTIVE] ?? DEFAULT_PROFILE_ID;
  const activeProblems: SettingProblem[] = [];
  let active: EndpointProfile | undefined;
  const activeId = typeof activeRaw === 'string' ? activeRaw : DEFAULT_PROFILE_ID;
  const activeTyped = checkValue(schema[ACTIVE] ?? { type: 'string' }, activeRaw, ACTIVE, ACTIVE, t);
  if (activeTyped.length) {
    activeProblems.push(...activeTyped);
  } else {
    const broken = unusable.filter((u) => u.id === activeId);
    if (broken.length) {
      activeProblems.push(...broken.flatMap((u) => u.problems));
    } else {
      active = profiles.find((p) => p.id === activeId);
      if (!active) {
        if (listProblem) activeProblems.push(listProblem);
        activeProblems.push({
          setting: ACTIVE,
          path: ACTIVE,
          message: t(
            '{0} is "{1}", which is not the id of any profile; expected one of {2}.',
            ACTIVE,
            activeId,
            profiles.map((p) => JSON.stringify(p.id)).join(', ') || '—',
          ),
        });
      }
    }
  }
  if (listProblem && !activeProblems.includes(listProblem)) {
    notices.push({ ...listProblem, message: t('{0} No profile from it is used.', listProblem.message) });
  }
  if (active && active.id !== DEFAULT_PROFILE_ID) notices.push(...(profileNotices.get(active.id) ?? []));

  let modelProblem: SettingProblem | undefined;
  if (active && !active.defaultModel.trim()) {
    const index = Array.isArray(list) ? list.findIndex((p) => isObject(p) && p.id === active!.id) : -1;
    const path = active.id === DEFAULT_PROFILE_ID ? key('model') : `${PROFILES}[${index}].defaultModel`;
    modelProblem = {
      setting: active.id === DEFAULT_PROFILE_ID ? key('model') : PROFILES,
      path,
      message: t(
        '{0} is empty; expected the id of a model, such as gpt-4o-mini (or run "Relay Chat: Select Model").',
        path,
      ),
    };
  }

  return {
    profiles,
    unusable,
    activeId,
    active,
    activeProblems,
    modelProblem,
    requestOptions,
    notices,
    credentialHeaders: credentialHeaders(raw[HEADERS], raw[PROFILES]),
    values,
  };
}
