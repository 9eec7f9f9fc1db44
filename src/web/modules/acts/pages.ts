/** The route components of the signed-in acts pages, loaded on demand as one chunk. */

export { ActsRegisterPage } from './ActsRegisterPage.js';
export { ActPage } from './act/ActPage.js';
export { NewActPage } from './NewActPage.js';
export { TransmissionsPage } from './TransmissionsPage.js';
