import assert from 'node:assert/strict';
import { terminalText } from '../../../src/common/mentions/terminalText';

describe('mentions: terminal text', () => {
  it('gives the command, where it ran, how it ended and its output', () => {
    assert.equal(
      terminalText({
        commandLine: 'npm test',
        cwd: '/app',
        exitCode: 1,
        running: false,
        output: '5%\r100%\nfailed\n\n',
      }),
      '$ npm test\ncwd: /app\nexit code: 1\noutput:\n100%\nfailed',
    );
  });

  it('says what the shell did not report, and a command still running', () => {
    assert.equal(
      terminalText({ commandLine: '', running: true, output: '' }),
      '$ (the shell did not report the command line)\ncwd: not reported by the shell\nstill running\noutput: none was received (a command that ends within moments of starting can print before it can be read; the terminal itself shows what it printed)',
    );
    assert.match(terminalText({ commandLine: 'ls', running: false, output: 'a' }), /exit code: not reported/);
  });
});
