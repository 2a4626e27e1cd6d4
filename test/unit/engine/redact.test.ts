import assert from 'node:assert/strict';
import { MASK, redactHeaders, redactSecrets } from '../../../src/common/endpoint/redact';

describe('redaction', () => {
  it('masks every given secret, longest first', () => {
    const key = 'relay-key-9f8e7d6c';
    assert.equal(
      redactSecrets(`url?key=${key}&again=${key} short=${'ab'}`, [key, 'ab', undefined, 'relay-key']),
      `url?key=${MASK}&again=${MASK} short=ab`,
    );
  });

  it('masks key-shaped strings nobody named', () => {
    assert.equal(
      redactSecrets('Authorization: Bearer abc.def-123456789 and sk-proj-AbCdEf0123456789xyz'),
      `Authorization: Bearer ${MASK} and ${MASK}`,
    );
  });

  it('leaves ordinary text alone', () => {
    const text = 'HTTP 429 from api.openai.com: Rate limit reached for sk model';
    assert.equal(redactSecrets(text, []), text);
  });

  it('masks credential headers whatever their case, keeps the rest', () => {
    assert.deepEqual(
      redactHeaders({
        Authorization: 'Bearer sk-1',
        'api-key': 'k',
        'X-Api-Key': 'k',
        'Content-Type': 'application/json',
        'x-title': 'Relay',
      }),
      {
        Authorization: MASK,
        'api-key': MASK,
        'X-Api-Key': MASK,
        'Content-Type': 'application/json',
        'x-title': 'Relay',
      },
    );
    assert.deepEqual(redactHeaders(new Headers({ authorization: 'Bearer x', accept: '*/*' })), {
      accept: '*/*',
      authorization: MASK,
    });
    assert.deepEqual(redactHeaders(undefined), {});
  });
});
