import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';

/**
 * pino options: readable in development, JSON in production. Cookies, CSRF tokens, authorization
 * headers and passwords are redacted; request bodies are never logged.
 */
export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  const redact = {
    paths: [
      'req.headers.cookie',
      'req.headers.authorization',
      'req.headers["x-csrf-token"]',
      'res.headers["set-cookie"]',
      '*.password',
      '*.token',
    ],
    censor: '[masqué]',
  };
  if (config.LOG_LEVEL === 'silent') return false;
  if (config.isProduction) return { level: config.LOG_LEVEL, redact };
  return {
    level: config.LOG_LEVEL,
    redact,
    transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } },
  };
}
