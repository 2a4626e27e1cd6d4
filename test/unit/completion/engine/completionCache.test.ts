import assert from 'node:assert/strict';
import { CompletionCache } from '../../../../src/common/completion/engine/completionCache';

describe('CompletionCache', () => {
  it('offers a completion at its prefix and further along while the typing follows it', () => {
    const cache = new CompletionCache();
    cache.set('const x = ', 'compute(a);');
    assert.deepEqual(cache.get('const x = '), { remainder: 'compute(a);', typed: 0 });
    assert.deepEqual(cache.get('const x = comp'), { remainder: 'ute(a);', typed: 4 });
    assert.equal(cache.get('const x = cx'), undefined);
    assert.equal(cache.get('const x = compute(a);'), undefined);
    assert.equal(cache.get('const x '), undefined);
  });

  it('prefers the longest cached prefix', () => {
    const cache = new CompletionCache();
    cache.set('let a = ', 'foo(1);');
    cache.set('let a = f', 'etch(url);');
    assert.deepEqual(cache.get('let a = fe'), { remainder: 'tch(url);', typed: 1 });
  });

  it('keys on the end of the prefix only', () => {
    const cache = new CompletionCache({ capacity: 10, keyChars: 4, maxTyped: 8 });
    cache.set('aaaa\nx = ', 'y;');
    assert.deepEqual(cache.get('bbbb\nx = '), { remainder: 'y;', typed: 0 });
  });

  it('drops the least recently used entry past its capacity', () => {
    const cache = new CompletionCache({ capacity: 2, keyChars: 64, maxTyped: 8 });
    cache.set('one ', '1');
    cache.set('two ', '2');
    cache.get('one ');
    cache.set('three ', '3');
    assert.equal(cache.size, 2);
    assert.deepEqual(cache.get('one '), { remainder: '1', typed: 0 });
    assert.equal(cache.get('two '), undefined);
  });
});
