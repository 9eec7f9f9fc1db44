import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { attachment, sendDownload } from './download.js';

/** The one way routes answer with a file: the headers they sent by hand before, byte for byte. */
describe('sendDownload', () => {
  const app = Fastify();
  app.get('/saved', (_request, reply) =>
    sendDownload(reply, {
      type: 'application/pdf',
      filename: 'procès-verbal "2026".pdf',
      body: Buffer.from('%PDF'),
    }),
  );
  app.get('/shown', (_request, reply) =>
    sendDownload(reply, {
      type: 'text/csv; charset=utf-8',
      filename: 'délibérations.csv',
      body: 'a;b\r\n',
      inline: true,
      headers: { 'cache-control': 'public, max-age=3600', 'x-omitted-rows': '2' },
    }),
  );
  afterAll(() => app.close());

  it('names the file for saving (ASCII fallback and UTF-8 name), with its type and bytes', async () => {
    const res = await app.inject({ url: '/saved' });
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="proces-verbal 2026.pdf"; filename*=UTF-8''proc%C3%A8s-verbal%20%222026%22.pdf`,
    );
    expect(res.headers['content-disposition']).toBe(attachment('procès-verbal "2026".pdf'));
    expect(res.body).toBe('%PDF');
  });

  it('shows a file inline and adds further headers in their order', async () => {
    const res = await app.inject({ url: '/shown' });
    expect(res.headers['content-disposition']).toBe(
      `inline; filename="deliberations.csv"; filename*=UTF-8''d%C3%A9lib%C3%A9rations.csv`,
    );
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.headers['x-omitted-rows']).toBe('2');
    const names = Object.keys(res.headers);
    expect(names.indexOf('content-disposition')).toBeLessThan(names.indexOf('cache-control'));
    expect(names.indexOf('cache-control')).toBeLessThan(names.indexOf('x-omitted-rows'));
    expect(res.body).toBe('a;b\r\n');
  });
});
