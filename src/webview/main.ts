import { isHostToWebview } from '../common/panel/protocolGuards';
import { ChatView } from './chat/chatView';
import { loadStrings } from './strings';
import { vscodeApi } from './vscodeApi';

const api = vscodeApi();
const root = document.getElementById('app')!;
const strings = loadStrings(document);
const build = () => new ChatView(root, strings, (message) => api.postMessage(message), api);

let view: ChatView;
try {
  view = build();
} catch (err) {
  // A saved state this version cannot rebuild (a draft, its chips, the scroll) must not leave the
  // panel empty for good: it starts without it. The conversation itself comes from the host.
  console.error('Relay Chat: the panel could not restore its saved state', err);
  api.setState(undefined);
  root.replaceChildren();
  view = build();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToWebview(event.data)) view.handle(event.data);
});

api.postMessage({ type: 'ready' });
view.connected();
