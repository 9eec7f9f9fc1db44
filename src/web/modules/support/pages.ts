/** The route components of the support desk's pages, loaded on demand as one chunk. */

export { ArticlePage } from './ArticlePage.js';
export { HelpPage } from './HelpPage.js';
export { MyTicketPage } from './MyTicketPage.js';
export { MyTicketsPage } from './MyTicketsPage.js';
export { NewTicketPage } from './NewTicketPage.js';
export { SupportQueuePage } from './SupportQueuePage.js';
export { SupportTicketPage } from './SupportTicketPage.js';
export { TrainingCalendarPage } from './TrainingCalendarPage.js';
export { TrainingSessionPage } from './TrainingSessionPage.js';
