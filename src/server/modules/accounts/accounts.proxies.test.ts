import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { buildUser, TEST_PASSWORD } from '../../test/builders.js';
import { auditedAddress, freshIp, loginFrom } from './accounts.test-support.js';

describe('in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ NODE_ENV: 'production' });
  });
  afterAll(() => t.close());

  it('trusts no proxy unless TRUST_PROXY says which', async () => {
    expect(await auditedAddress(t, '192.0.2.200', '203.0.113.60')).toEqual(['192.0.2.200']);
  });

  it('is Secure', async () => {
    const user = await buildUser(t.database.db);
    const response = await loginFrom(t, freshIp(), user.email, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.cookies.find((c) => c.name === 'socle_session')).toMatchObject({
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
    });
  });
});

describe('behind configured proxies (TRUST_PROXY)', () => {
  let byAddress: TestApp;
  let byHops: TestApp;
  beforeAll(async () => {
    byAddress = await createTestApp({ TRUST_PROXY: '10.0.0.2,10.1.0.0/16' });
    byHops = await createTestApp({ TRUST_PROXY: '2' });
  });
  afterAll(async () => {
    await byAddress?.close();
    await byHops?.close();
  });

  it('takes the client address from X-Forwarded-For sent by a listed proxy, and only by one', async () => {
    expect(await auditedAddress(byAddress, '10.0.0.2', '203.0.113.70')).toEqual(['203.0.113.70']);
    expect(await auditedAddress(byAddress, '10.1.4.5', '203.0.113.71')).toEqual(['203.0.113.71']);
    // Whatever the client wrote before its address stays untrusted.
    expect(await auditedAddress(byAddress, '10.0.0.2', '198.51.100.1, 203.0.113.72')).toEqual([
      '203.0.113.72',
    ]);
    expect(await auditedAddress(byAddress, '10.0.0.3', '203.0.113.73')).toEqual(['10.0.0.3']);
  });

  it('with a number of hops, trusts that many addresses of the chain, the nearest first', async () => {
    expect(await auditedAddress(byHops, '10.0.0.9', '198.51.100.2, 203.0.113.80, 10.0.0.8')).toEqual([
      '203.0.113.80',
    ]);
    expect(await auditedAddress(byHops, '10.0.0.9', '203.0.113.81')).toEqual(['203.0.113.81']);
  });
});
