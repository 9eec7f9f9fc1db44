/** The route components of the RGPD pages, loaded on demand as one chunk. */
export { CopyProcessingPage } from './CopyProcessingPage.js';
export { DpoDashboardPage } from './DpoDashboardPage.js';
export { MyBreachesPage, MyRegistryPage, MyRequestsPage } from './MemberPages.js';
export { OperatorMemberRegistryPage } from './OperatorMemberRegistryPage.js';
export { MyProcessingPage, OperatorProcessingPage } from './ProcessingPage.js';
export { ProcessorsPage } from './ProcessorsPage.js';
export { PublicRegistryPage } from './PublicRegistryPage.js';
export { NewTemplatePage, TemplatePage, TemplatesPage } from './TemplatesPages.js';
