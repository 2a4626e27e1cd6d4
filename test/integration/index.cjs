// Runs inside the desktop extension host (@vscode/test-electron): mocha over test/integration.
const path = require('node:path');
const Mocha = require('mocha');

exports.run = function run() {
  require('tsx/cjs');
  const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: true });
  mocha.addFile(path.join(__dirname, 'extension.test.ts'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} tests failed`)) : resolve()));
  });
};
