// `npm run test:desktop`: the same extension in desktop VS Code via @vscode/test-electron, for
// machines that can download VS Code (a laptop, GitHub Actions). Not part of CI here: these
// machines cannot reach the VS Code download servers (see CONTRIBUTING.md).
import { runTests } from '@vscode/test-electron';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test/integration/index.cjs'),
    launchArgs: [join(root, 'test/workspace'), '--disable-extensions'],
  });
} catch (err) {
  console.error('Desktop tests failed:', err);
  process.exit(1);
}
