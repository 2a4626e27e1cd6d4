import assert from 'node:assert/strict';
import { ViewScopes, type Disposable } from '../../src/common/panel/viewScopes';

/** An event source like VS Code's: counts the listeners still attached. */
class Emitter {
  listeners = 0;
  listen(): Disposable {
    this.listeners++;
    let attached = true;
    return {
      dispose: () => {
        if (attached) this.listeners--;
        attached = false;
      },
    };
  }
}

/** What the chat view provider does on each resolve: four listeners for that view. */
function resolve(
  scopes: ViewScopes,
  selection: Emitter,
  editor: Emitter,
  messages: Emitter,
  visibility: Emitter,
) {
  return scopes.open([messages.listen(), visibility.listen(), selection.listen(), editor.listen()]);
}

describe('view scopes (the chat view provider listeners)', () => {
  it('keeps one view worth of listeners however often the view is hidden, shown or moved', () => {
    const scopes = new ViewScopes();
    const sources = [new Emitter(), new Emitter(), new Emitter(), new Emitter()] as const;
    for (let i = 0; i < 50; i++) resolve(scopes, ...sources);
    assert.deepEqual(
      sources.map((s) => s.listeners),
      [1, 1, 1, 1],
    );
    assert.equal(scopes.live, 4);
  });

  it('lets go of everything when the view is disposed, and once only', () => {
    const scopes = new ViewScopes();
    const sources = [new Emitter(), new Emitter(), new Emitter(), new Emitter()] as const;
    const close = resolve(scopes, ...sources);
    close();
    close();
    assert.deepEqual(
      sources.map((s) => s.listeners),
      [0, 0, 0, 0],
    );
    assert.equal(scopes.live, 0);
  });

  it('a late dispose of an old view leaves the view that replaced it listening', () => {
    const scopes = new ViewScopes();
    const sources = [new Emitter(), new Emitter(), new Emitter(), new Emitter()] as const;
    const closeOld = resolve(scopes, ...sources);
    resolve(scopes, ...sources);
    closeOld();
    assert.deepEqual(
      sources.map((s) => s.listeners),
      [1, 1, 1, 1],
    );
    assert.equal(scopes.live, 4);
  });

  it('deactivation lets go of the current view', () => {
    const scopes = new ViewScopes();
    const sources = [new Emitter(), new Emitter(), new Emitter(), new Emitter()] as const;
    resolve(scopes, ...sources);
    scopes.dispose();
    assert.deepEqual(
      sources.map((s) => s.listeners),
      [0, 0, 0, 0],
    );
  });
});
