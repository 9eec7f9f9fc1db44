import path from 'node:path';
import type { Config } from '../config.js';
import { Mailer, OutboxOnlyTransport, SmtpTransport } from './mail/mailer.js';
import { LocalDiskStorage } from './storage/storage.js';

/** The real adapters chosen by configuration; tests pass in-memory twins instead. */
export function productionAdapters(config: Config) {
  const transport = config.SMTP_URL
    ? new SmtpTransport(config.SMTP_URL, config.MAIL_FROM)
    : new OutboxOnlyTransport();
  return {
    mailer: new Mailer(transport),
    storage: new LocalDiskStorage(path.join(config.dataDir, 'documents')),
  };
}
