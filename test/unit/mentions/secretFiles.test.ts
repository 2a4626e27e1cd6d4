import assert from 'node:assert/strict';
import { secretPattern } from '../../../src/common/mentions/secretFiles';

describe('mentions: secret-looking files', () => {
  it('matches the default patterns at any depth', () => {
    assert.equal(secretPattern('.env'), '.env*');
    assert.equal(secretPattern('apps/web/.env.local'), '.env*');
    assert.equal(secretPattern('certs/server.pem'), '*.pem');
    assert.equal(secretPattern('deploy/keys/prod.key'), '*.key');
    assert.equal(secretPattern('home/.ssh/id_rsa'), 'id_rsa*');
    assert.equal(secretPattern('home/.ssh/id_rsa.pub'), 'id_rsa*');
    assert.equal(secretPattern('store/client.p12'), '*.p12');
    assert.equal(secretPattern('multi-root/api/.env'), '.env*');
  });

  it('ignores case and backslashes', () => {
    assert.equal(secretPattern('CERTS\\SERVER.PEM'), '*.pem');
  });

  it('leaves ordinary files alone', () => {
    for (const path of ['src/env.ts', 'src/keyboard.ts', 'docs/pem.md', 'a.keys', 'env/readme.md'])
      assert.equal(secretPattern(path), undefined, path);
  });

  it('adds the user setting’s patterns, returned as written', () => {
    assert.equal(secretPattern('config/Secrets.json', ['secrets.JSON']), 'secrets.JSON');
    assert.equal(secretPattern('deploy/vault/prod.yaml', ['vault/**']), 'vault/**');
    assert.equal(secretPattern('src/vault.ts', ['vault/**']), undefined);
  });
});
