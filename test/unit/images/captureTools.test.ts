import assert from 'node:assert/strict';
import { captureArgv, planCapture, type CaptureEnvironment } from '../../../src/common/images/captureTools';

const env = (over: Partial<CaptureEnvironment> & { tools?: string[] }): CaptureEnvironment => ({
  platform: 'linux',
  env: { DISPLAY: ':0' },
  has: (c) => (over.tools ?? []).includes(c),
  ...over,
});

describe('captureTools: which screenshot tool runs', () => {
  it('uses screencapture -i on macOS', () => {
    const plan = planCapture(env({ platform: 'darwin', tools: ['screencapture'] }));
    assert.equal(plan.kind, 'run');
    assert.deepEqual(plan.kind === 'run' && captureArgv(plan, '/tmp/x.png'), [
      'screencapture',
      '-i',
      '/tmp/x.png',
    ]);
  });

  it("uses the Snipping Tool's clipboard capture on Windows", () => {
    const plan = planCapture(env({ platform: 'win32' }));
    assert.deepEqual(plan, {
      kind: 'run',
      tool: 'Snipping Tool',
      argv: ['explorer.exe', 'ms-screenclip:'],
      viaClipboard: true,
    });
  });

  it('prefers grim+slurp under Wayland, then the desktop tools, then X11 ones', () => {
    const wayland = { WAYLAND_DISPLAY: 'wayland-0' };
    const all = ['grim', 'slurp', 'gnome-screenshot', 'spectacle', 'maim', 'scrot', 'import'];
    const tool = (e: CaptureEnvironment) => {
      const plan = planCapture(e);
      return plan.kind === 'run' ? plan.tool : plan.kind;
    };
    assert.equal(tool(env({ env: wayland, tools: all })), 'grim + slurp');
    assert.equal(tool(env({ env: wayland, tools: ['grim'] })), 'noTool', 'grim alone cannot select');
    assert.equal(tool(env({ tools: all })), 'gnome-screenshot', 'grim is Wayland-only');
    assert.equal(tool(env({ tools: ['spectacle', 'scrot'] })), 'spectacle');
    assert.equal(tool(env({ tools: ['maim', 'scrot'] })), 'maim');
    assert.equal(tool(env({ tools: ['scrot'] })), 'scrot');
    assert.equal(tool(env({ tools: ['import'] })), 'ImageMagick import');
    const plan = planCapture(env({ env: wayland, tools: all }));
    assert.deepEqual(plan.kind === 'run' && captureArgv(plan, '/tmp/a b.png'), [
      'sh',
      '-c',
      'grim -g "$(slurp)" "$1"',
      'sh',
      '/tmp/a b.png',
    ]);
  });

  it('says what to install when there is no tool, and to paste when the screen is elsewhere', () => {
    assert.deepEqual(planCapture(env({})), {
      kind: 'noTool',
      install: 'maim, scrot, gnome-screenshot or ImageMagick',
    });
    assert.deepEqual(planCapture(env({ env: { WAYLAND_DISPLAY: 'w' } })), {
      kind: 'noTool',
      install: 'grim and slurp, gnome-screenshot or spectacle',
    });
    assert.deepEqual(planCapture(env({ remoteName: 'ssh-remote', tools: ['maim'] })), {
      kind: 'remote',
      where: 'ssh-remote',
    });
    assert.deepEqual(planCapture(env({ web: true, tools: ['maim'] })), { kind: 'remote', where: 'browser' });
    assert.deepEqual(planCapture(env({ env: {}, tools: ['maim'] })), { kind: 'remote', where: 'no display' });
  });
});
