import { isHostToWebview } from '../common/panel/protocol';
import { ChatView } from './chat/chatView';
import { loadStrings } from './strings';
import { vscodeApi } from './vscodeApi';

const api = vscodeApi();
const view = new ChatView(
  document.getElementById('app')!,
  loadStrings(document),
  (message) => api.postMessage(message),
  api,
);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToWebview(event.data)) view.handle(event.data);
});

api.postMessage({ type: 'ready' });
