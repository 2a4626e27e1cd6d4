/**
 * Which of the platform's own screenshot tools "Capture Screenshot" runs, decided at run time
 * from what is installed. Pure: the host hands in the platform, the environment and a lookup on
 * PATH, so every branch is unit-tested.
 */
export interface CaptureEnvironment {
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  /** True when an executable of this name is on PATH. */
  has(command: string): boolean;
  /** VS Code's remoteName (ssh-remote, wsl, dev-container, codespaces…); the screen is elsewhere. */
  remoteName?: string;
  /** The workbench runs in a browser (code-server, vscode.dev): the screen is the browser's. */
  web?: boolean;
}

export interface CapturePlan {
  kind: 'run';
  /** The tool's name for messages. */
  tool: string;
  /** argv; `{file}` stands for the PNG the tool writes. */
  argv: string[];
  /** Windows: the tool puts the capture on the clipboard, read from there. */
  viaClipboard?: boolean;
}

export type CaptureProblem = { kind: 'remote'; where: string } | { kind: 'noTool'; install: string };

const FILE = '{file}';

/** Linux tools in the order tried: Wayland-native first under Wayland, X11 ones after. */
const LINUX: { tool: string; needs: string[]; argv: string[]; wayland?: boolean }[] = [
  {
    tool: 'grim + slurp',
    needs: ['grim', 'slurp'],
    argv: ['sh', '-c', 'grim -g "$(slurp)" "$1"', 'sh', FILE],
    wayland: true,
  },
  { tool: 'gnome-screenshot', needs: ['gnome-screenshot'], argv: ['gnome-screenshot', '-a', '-f', FILE] },
  { tool: 'spectacle', needs: ['spectacle'], argv: ['spectacle', '-r', '-b', '-n', '-o', FILE] },
  { tool: 'maim', needs: ['maim'], argv: ['maim', '-s', FILE] },
  { tool: 'scrot', needs: ['scrot'], argv: ['scrot', '-s', '-o', FILE] },
  { tool: 'ImageMagick import', needs: ['import'], argv: ['import', FILE] },
];

export function planCapture(e: CaptureEnvironment): CapturePlan | CaptureProblem {
  if (e.remoteName) return { kind: 'remote', where: e.remoteName };
  if (e.web) return { kind: 'remote', where: 'browser' };
  if (e.platform === 'darwin') {
    return e.has('screencapture')
      ? { kind: 'run', tool: 'screencapture', argv: ['screencapture', '-i', FILE] }
      : { kind: 'noTool', install: 'screencapture (part of macOS)' };
  }
  if (e.platform === 'win32') {
    return {
      kind: 'run',
      tool: 'Snipping Tool',
      argv: ['explorer.exe', 'ms-screenclip:'],
      viaClipboard: true,
    };
  }
  const wayland = !!e.env.WAYLAND_DISPLAY;
  if (!wayland && !e.env.DISPLAY) return { kind: 'remote', where: 'no display' };
  for (const t of LINUX) {
    if (t.wayland && !wayland) continue;
    if (t.needs.every((n) => e.has(n))) return { kind: 'run', tool: t.tool, argv: t.argv };
  }
  return {
    kind: 'noTool',
    install: wayland
      ? 'grim and slurp, gnome-screenshot or spectacle'
      : 'maim, scrot, gnome-screenshot or ImageMagick',
  };
}

/** The argv with the output file filled in. */
export function captureArgv(plan: CapturePlan, file: string): string[] {
  return plan.argv.map((a) => (a === FILE ? file : a));
}
