import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isWebviewToHost } from '../../../src/common/panel/protocolGuards';

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: {
    walkthroughs: {
      id: string;
      steps: { id: string; media: { image: string }; completionEvents: string[]; when?: string }[];
    }[];
  };
};

describe('First-run walkthrough', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;

  it('has the six steps, each completing on a real event', () => {
    assert.equal(walkthrough.id, 'relayChat.gettingStarted');
    assert.deepEqual(
      walkthrough.steps.map((s) => [s.id, s.completionEvents]),
      [
        ['baseUrl', ['onSettingChanged:relayChat.baseUrl']],
        ['apiKey', ['onContext:relayChat.hasApiKey']],
        ['checkEndpoint', ['onCommand:relayChat.checkEndpoint']],
        ['askAboutSelection', ['onCommand:relayChat.askAboutSelection']],
        ['editSelection', ['onCommand:relayChat.editSelection']],
        ['autocomplete', ['onSettingChanged:relayChat.autocomplete.enabled']],
      ],
    );
  });

  it('shows the edit step only where that command exists', () => {
    assert.equal(walkthrough.steps.find((s) => s.id === 'editSelection')!.when, 'relayChat.canEditSelection');
  });

  it('ships a small picture for every step', () => {
    for (const step of walkthrough.steps) {
      const file = join(root, step.media.image);
      assert.ok(existsSync(file), file);
      assert.ok(readFileSync(file).length < 2048, `${file} is small`);
    }
  });

  it('lets the panel’s setup buttons through, and nothing else under that name', () => {
    for (const action of ['baseUrl', 'apiKey', 'check'])
      assert.ok(isWebviewToHost({ type: 'setup', action }));
    assert.equal(isWebviewToHost({ type: 'setup', action: 'rm -rf' }), false);
    assert.equal(isWebviewToHost({ type: 'setup' }), false);
  });
});
