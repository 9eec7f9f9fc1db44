/** The route components of the governance pages, loaded on demand as one chunk. */

export { AssembliesPage } from './AssembliesPage.js';
export { AssemblyPage } from './assembly/AssemblyPage.js';
export { ConvocationPage } from './ConvocationPage.js';
export { DelegatesPage } from './DelegatesPage.js';
export { NewSessionPage } from './new-session/NewSessionPage.js';
export { OfficialSpacePage } from './official/OfficialSpacePage.js';
export { OperatorOverviewPage } from './official/OperatorOverviewPage.js';
export { PublicDeliberationsPage } from './PublicDeliberationsPage.js';
export { SessionPage } from './session/SessionPage.js';
