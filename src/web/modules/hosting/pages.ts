/** The route components of the hosting pages, loaded on demand as one chunk. */

export { HostingTeamPage } from './HostingTeamPage.js';
export { StatusIncidentPage } from './StatusIncidentPage.js';
export { StatusPage } from './StatusPage.js';
