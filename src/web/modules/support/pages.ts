/** The route components of the support desk's pages, loaded on demand as one chunk. */

export { ArticlePage } from './ArticlePage.js';
export { HelpPage } from './HelpPage.js';
export { MyTicketPage } from './MyTicketPage.js';
export { MyTicketsPage } from './MyTicketsPage.js';
// The training follow-up and the support team's editing pages.
export { MyTrainingsPage } from './MyTrainingsPage.js';
export { NewTicketPage } from './NewTicketPage.js';
export { EditArticlePage, NewArticlePage } from './operator-articles/ArticleEditPages.js';
export { OperatorArticlesPage } from './operator-articles/OperatorArticlesPage.js';
export { NewTrainingSessionPage } from './operator-trainings/NewTrainingSessionPage.js';
export { OperatorTrainingSessionPage } from './operator-trainings/OperatorTrainingSessionPage.js';
export { OperatorTrainingsPage } from './operator-trainings/OperatorTrainingsPage.js';
export { TrainingReportPage } from './operator-trainings/TrainingReportPage.js';
export { ServiceLevelsPage } from './ServiceLevelsPage.js';
export { SupportQueuePage } from './SupportQueuePage.js';
export { SupportTicketPage } from './SupportTicketPage.js';
export { TrainingCalendarPage } from './TrainingCalendarPage.js';
export { TrainingSessionPage } from './TrainingSessionPage.js';
export { TrainingSurveyPage } from './TrainingSurveyPage.js';
