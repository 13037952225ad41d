/**
 * Store URLs without a server: which store a URL names, and that no password survives into a
 * message (user info, unencoded `@` in it, `password=` parameters, and a driver's own error text).
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { maskUrl, reasonOf, storeKind } from '../src/stores.js';

describe('maskUrl', () => {
  it.each([
    ['postgres://billing:s3cret@db.example:5432/billing', 'postgres://billing:***@db.example:5432/billing'],
    ['postgresql://u:p@ss@host/db', 'postgresql://u:***@host/db'],
    [
      'postgres://host/db?user=u&password=s3cret&sslmode=require',
      'postgres://host/db?user=u&password=***&sslmode=require',
    ],
    ['postgres://billing@host/db', 'postgres://billing@host/db'],
    ['esdb://admin:changeit@localhost:2113?tls=false', 'esdb://admin:***@localhost:2113?tls=false'],
    ['postgresql://postgres@%2Ftmp%2Fsock:5432/db', 'postgresql://postgres@%2Ftmp%2Fsock:5432/db'],
  ])('%s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });
});

describe('storeKind', () => {
  it('postgres, postgresql, esdb and esdb+discover name stores; others and memory: are refused', () => {
    expect(storeKind('postgres://h/db')).toEqual(E.right('postgres'));
    // A unix socket: empty host, directory in ?host= (what .ci/pg.sh exports; WHATWG URL refuses it).
    expect(storeKind('postgresql://postgres@/msp_test?host=/tmp/msp-pg.x&port=5432')).toEqual(
      E.right('postgres'),
    );
    expect(storeKind('POSTGRESQL://h/db')).toEqual(E.right('postgres'));
    expect(storeKind('esdb://h:2113')).toEqual(E.right('esdb'));
    expect(storeKind('esdb+discover://h:2113')).toEqual(E.right('esdb'));
    for (const bad of ['memory:', 'memory://x', 'mysql://h/db', 'just-a-name', 'postgres://u:pw@[x/db'])
      expect(E.isLeft(storeKind(bad))).toBe(true);
  });
});

describe('reasonOf', () => {
  it('takes the first error of an AggregateError without a message, and the first line of a message', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    expect(reasonOf(new AggregateError([refused], ''))).toBe('connect ECONNREFUSED ::1:5432');
    expect(reasonOf(new Error('first line\n  second'))).toBe('first line');
    expect(reasonOf(Object.assign(new Error(''), { code: 'ETIMEDOUT' }))).toBe('ETIMEDOUT');
  });
});
