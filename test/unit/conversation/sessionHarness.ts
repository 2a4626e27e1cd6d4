/**
 * A ChatSession against scripted responses, for the unit tests that drive whole turns: every
 * request body it sent, every post to the panel, and the panel's fold of those posts.
 */
import assert from 'node:assert/strict';
import { ChatSession, type ChatSessionDeps } from '../../../src/common/conversation/chatSession';
import type { CapabilityStore } from '../../../src/common/endpoint/capabilities';
import type { KnownWindow } from '../../../src/common/context/modelLimits';
import type { EditTurn } from '../../../src/common/edits/editTurn';
import { describeError } from '../../../src/common/panel/errorView';
import { PanelConversation, isConversationMessage } from '../../../src/common/panel/panelConversation';
import type { HostToWebview, ViewMessage } from '../../../src/common/panel/protocol';

export interface SessionHarnessOptions {
  /** Remembers refusals across requests, as the host's store does. */
  capabilityStore?: CapabilityStore;
  /** Edit mode: the turn the session runs its tool rounds with. */
  editTurn?: EditTurn;
  model?: string;
  /** The profile the endpoint resolves to (capabilities are remembered per profile and model). */
  profileId?: string;
  /** The model's context window, as the host would resolve it. */
  window?: KnownWindow;
  /** More of the host: the rules (`instructions`), a question's mentions read again (`reread`). */
  deps?: Partial<ChatSessionDeps>;
}

export interface SessionHarness<Body> {
  session: ChatSession;
  /** Each request's JSON body, in order. */
  bodies: Body[];
  posts: HostToWebview[];
  /** What a panel that saw every post holds: the webview's own fold. */
  panel(): ViewMessage[];
}

/** Responses are made when asked for, in order; one more request than there are fails the test. */
export function sessionHarness<Body = Record<string, unknown>>(
  responses: (() => Response)[],
  options: SessionHarnessOptions = {},
): SessionHarness<Body> {
  const posts: HostToWebview[] = [];
  const bodies: Body[] = [];
  let n = 0;
  const deps: ChatSessionDeps = {
    fetch: async (_input, init) => {
      bodies.push(JSON.parse(String(init?.body)) as Body);
      const next = responses.shift();
      if (!next) throw new Error('unexpected request');
      return next();
    },
    post: (m) => posts.push(m),
    resolveEndpoint: async () => ({
      config: {
        baseUrl: 'http://127.0.0.1:1/v1',
        retry: { maxRetries: 0 },
        ...(options.profileId ? { profileId: options.profileId } : {}),
        ...(options.capabilityStore ? { capabilityStore: options.capabilityStore } : {}),
      },
      model: options.model ?? 'm',
      ...(options.window ? { window: options.window } : {}),
    }),
    describeError: (err) => describeError(err),
    newId: () => `id${n++}`,
    ...(options.editTurn ? { beginEdit: async () => options.editTurn } : {}),
    ...options.deps,
  };
  const panel = () => {
    const conversation = new PanelConversation(() =>
      assert.fail('a panel that saw every post never has a gap'),
    );
    for (const post of posts) if (isConversationMessage(post)) conversation.receive(post);
    return conversation.messages as ViewMessage[];
  };
  return { session: new ChatSession(deps), bodies, posts, panel };
}
