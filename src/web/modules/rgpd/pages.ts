/** The route components of the RGPD pages, loaded on demand as one chunk. */
export { CopyProcessingPage } from './copy-processing/CopyProcessingPage.js';
export { DpoDashboardPage } from './DpoDashboardPage.js';
export { MyBreachesPage, MyRegistryPage, MyRequestsPage } from './member-registry/MyRegistryPages.js';
export { OperatorMemberRegistryPage } from './member-registry/OperatorMemberRegistryPage.js';
export { ProcessorsPage } from './ProcessorsPage.js';
export { PublicRegistryPage } from './PublicRegistryPage.js';
export { MyProcessingPage, OperatorProcessingPage } from './processing/ProcessingPage.js';
export { NewTemplatePage, TemplatePage } from './templates/TemplatePage.js';
export { TemplatesPage } from './templates/TemplatesPage.js';
